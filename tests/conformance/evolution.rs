//! A deployed model gains fields: the migrations add its columns and keep every row, and `migrations check`
//! fails until they are applied. Through `migrate()` and through migration folders, on every database.

use std::process::ExitCode;

use fullauth::store::{AuthStore, UserStore};
use fullauth::{DieselAdapter, FullAuth, FullAuthUser, UserMixin};
use fullauth_tests::Backend;
use fullauth_tests::models::evolution::{v1, v2};
use fullauth_tests::{TestDatabase, app::test_config, inspect::Connection};

crate::on_every_backend!(
    new_fields_are_added_by_migrate,
    new_fields_are_added_by_written_folders
);

const PASSWORD: &str = "correct horse battery";

type V1 = DieselAdapter<v1::Person, v1::PersonSession>;
type V2 = DieselAdapter<v2::Person, v2::PersonSession>;

/// The `migrations` command for the v2 structs, as the application's binary would run it.
pub(crate) async fn cli(args: &[&str]) -> (ExitCode, String) {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = fullauth::cli::run::<v2::Person, v2::PersonSession>(&args, &mut out, &mut err).await;
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );
    (code, output)
}

/// Two people registered on the v1 structs.
async fn deploy_v1(adapter: V1) {
    let auth = FullAuth::builder()
        .adapter(adapter)
        .config(test_config())
        .build()
        .unwrap();
    for (email, name) in [("ada@example.com", "Ada"), ("bob@example.com", "Bob")] {
        let person = v1::Person {
            auth: UserMixin::new(email),
            display_name: name.into(),
        };
        auth.register(person, PASSWORD.into()).await.unwrap();
    }
}

/// The people, read through the v2 structs: intact, with the new fields' defaults, and able to sign in.
async fn assert_people_kept(adapter: V2) {
    for (email, name) in [("ada@example.com", "Ada"), ("bob@example.com", "Bob")] {
        let person = adapter
            .user_by_email(email)
            .await
            .unwrap()
            .expect("the row survived");
        assert_eq!(
            (
                person.display_name.as_str(),
                person.bio.as_str(),
                person.score
            ),
            (name, "none yet", None)
        );
        assert!(person.auth.hashed_password.is_some());
    }
    let auth = FullAuth::builder()
        .adapter(adapter.clone())
        .config(test_config())
        .build()
        .unwrap();
    let (person, _) = auth
        .login("ada@example.com", PASSWORD.into(), &Default::default())
        .await
        .unwrap();
    assert_eq!(person.email(), "ada@example.com");
    let newcomer = v2::Person {
        auth: UserMixin::new("cleo@example.com"),
        display_name: "Cleo".into(),
        bio: "new here".into(),
        score: Some(3),
    };
    auth.register(newcomer, PASSWORD.into()).await.unwrap();
    let stored = adapter
        .user_by_email("cleo@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.bio.as_str(), stored.score), ("new here", Some(3)));
}

/// `migrations check` of a folder and a database, for the v2 structs.
pub(crate) async fn check_folder_and_database(folder: &str, url: &str) -> (ExitCode, String) {
    cli(&[
        "migrations",
        "check",
        "--dir",
        folder,
        "--database-url",
        url,
    ])
    .await
}

async fn connect<U: fullauth::DieselUser, R: fullauth::DieselRefreshToken<User = U>>(
    db: &TestDatabase,
) -> DieselAdapter<U, R> {
    DieselAdapter::connect(&db.url)
        .await
        .unwrap()
        .user::<U>()
        .refresh_tokens::<R>()
}

async fn new_fields_are_added_by_migrate(backend: Backend) {
    if backend == Backend::Memory {
        return; // no schema to evolve
    }
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let v1_adapter: V1 = connect(&db).await;
    v1_adapter.migrate().await.unwrap();
    deploy_v1(v1_adapter).await;

    let (code, report) = cli(&["migrations", "check", "--database-url", &db.url]).await;
    assert_eq!(code, ExitCode::from(1), "{report}");
    assert!(
        report.contains("database: column `people.bio` is missing"),
        "{report}"
    );
    assert!(
        report.contains("database: column `people.score` is missing"),
        "{report}"
    );

    let v2_adapter: V2 = connect(&db).await;
    v2_adapter.migrate().await.unwrap();
    v2_adapter.migrate().await.unwrap();
    let (code, report) = cli(&["migrations", "check", "--database-url", &db.url]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    let applied = Connection::open(&db).await.applied_migrations().await;
    assert_eq!(
        applied.len(),
        3,
        "create, create, then one additive step: {applied:?}"
    );
    assert_people_kept(v2_adapter).await;
}

async fn new_fields_are_added_by_written_folders(backend: Backend) {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
        Backend::Mysql => "mysql",
        Backend::Memory => return,
    };
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!(
        "fullauth-migrations-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let folder = dir.to_str().unwrap();

    // Deploy v1 from folders written by the v1 structs.
    let args: Vec<String> = ["migrations", "write", folder, "--backend", name]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = fullauth::cli::run::<v1::Person, v1::PersonSession>(&args, &mut out, &mut err).await;
    assert_eq!(code, ExitCode::SUCCESS, "{}", String::from_utf8_lossy(&err));
    let v1_adapter: V1 = connect(&db).await;
    v1_adapter.migrate_from(&dir).await.unwrap();
    deploy_v1(v1_adapter).await;

    // v2: the folder and the database lag behind the structs.
    let (code, report) = check_folder_and_database(folder, &db.url).await;
    assert_eq!(code, ExitCode::from(1), "{report}");
    assert!(
        report.contains(&format!("folder {folder}: column `people.bio` is missing")),
        "{report}"
    );
    assert!(
        report.contains("database: column `people.score` is missing"),
        "{report}"
    );

    let (code, report) = cli(&["migrations", "write", folder, "--backend", name]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    assert_eq!(
        report.matches("wrote ").count(),
        1,
        "one additive migration: {report}"
    );
    let added = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.to_string_lossy()
                .contains("fullauth_add_people_bio_people_score")
        })
        .expect("the additive folder");
    let up = std::fs::read_to_string(added.join("up.sql")).unwrap();
    assert!(
        up.contains("ADD COLUMN") && !up.contains("DROP") && !up.contains("CREATE TABLE"),
        "{up}"
    );
    assert!(
        std::fs::read_to_string(added.join("down.sql"))
            .unwrap()
            .contains("DROP COLUMN")
    );

    let (code, report) = cli(&["migrations", "check", "--dir", folder]).await;
    assert_eq!(code, ExitCode::SUCCESS, "the folder is current: {report}");
    let (code, report) = cli(&["migrations", "check", "--database-url", &db.url]).await;
    assert_eq!(
        code,
        ExitCode::from(1),
        "the database is not, until the folder is applied: {report}"
    );

    let v2_adapter: V2 = connect(&db).await;
    v2_adapter.migrate_from(&dir).await.unwrap();
    let (code, report) = check_folder_and_database(folder, &db.url).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    let (code, report) = cli(&["migrations", "write", folder, "--backend", name]).await;
    assert_eq!(
        (code, report.contains("up to date")),
        (ExitCode::SUCCESS, true),
        "{report}"
    );
    assert_people_kept(v2_adapter).await;
    let _ = std::fs::remove_dir_all(&dir);
}
