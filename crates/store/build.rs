// `sqlx::migrate!` reads the migration folders at compile time; a new file there must rebuild
// the crate even when no Rust file changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
