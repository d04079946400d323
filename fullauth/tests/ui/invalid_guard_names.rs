fullauth::roles! {
    for User;
    pub Nobody = "";
    pub Padded = " admin";
    pub Twice = "admin" | "admin";
}

fullauth::permissions! {
    pub EditPosts = "posts:edit";
}

fn main() {}
