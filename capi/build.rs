//! Names the cdylib `libspringboard.so` for the dynamic linker (its SONAME), and
//! leaves a `libspringboard.so` link beside cargo's `libspringboard_capi.so`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libspringboard.so");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    if let Some(profile_dir) = out.ancestors().nth(3) {
        let link = profile_dir.join("libspringboard.so");
        if std::fs::read_link(&link).is_err() {
            let _ = std::fs::remove_file(&link);
            #[cfg(unix)]
            let _ = std::os::unix::fs::symlink("libspringboard_capi.so", &link);
        }
    }
}
