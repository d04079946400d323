//! Reading the cookies an answer sets, as a browser would store them.

use reqwest::header::HeaderMap;

/// The `Set-Cookie` line of the cookie `name` in `headers`, if the answer sets it.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .map(|line| line.to_str().unwrap().to_owned())
        .find(|line| line.split_once('=').is_some_and(|(key, _)| key == name))
}

/// The value a `Set-Cookie` line stores.
pub fn value(line: &str) -> String {
    let (_, rest) = line.split_once('=').unwrap();
    rest.split(';').next().unwrap().to_owned()
}

/// The attributes of a `Set-Cookie` line after its value, e.g. `["Path=/", "Secure", "HttpOnly"]`.
pub fn attributes(line: &str) -> Vec<String> {
    line.split(';')
        .skip(1)
        .map(|part| part.trim().to_owned())
        .collect()
}
