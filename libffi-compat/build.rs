//! Links the drop-in as libffi 3.4's `libffi.so.8`: its SONAME, and every exported
//! symbol bound to the version node libffi 3.4 gives it (libffi.map).

use std::path::{Path, PathBuf};

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let map = dir.join("libffi.map");
    println!("cargo:rerun-if-changed={}", map.display());
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libffi.so.8");
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        map.display()
    );
    // target/<profile>/build/<pkg>-<hash>/out -> target/<profile>: a libffi.so.8
    // link to the library the link step is about to write, so that a directory in
    // LD_LIBRARY_PATH holds the name programs linked with -lffi ask for.
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    if let Some(profile_dir) = out.ancestors().nth(3) {
        link_soname(profile_dir);
    }
}

fn link_soname(profile_dir: &Path) {
    let link = profile_dir.join("libffi.so.8");
    if std::fs::read_link(&link).is_err() {
        let _ = std::fs::remove_file(&link);
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink("libffi.so", &link);
    }
}
