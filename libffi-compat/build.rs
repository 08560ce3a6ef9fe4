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
    // target/<profile>/build/<pkg>-<hash>/out -> target/<profile>. The drop-in's
    // names (`libffi.so.8`, which programs ask for at run time, and `libffi.so`, which
    // `-lffi` finds) go in a directory of their own, target/<profile>/libffi-dropin:
    // cargo puts target/<profile> itself on LD_LIBRARY_PATH for every test it runs, and
    // a libffi.so.8 there would replace the system libffi under the workspace's own
    // differential tests.
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    if let Some(profile_dir) = out.ancestors().nth(3) {
        link_names(profile_dir);
    }
}

fn link_names(profile_dir: &Path) {
    // Trees built before the drop-in had its own directory hold a link beside the
    // test executables' search path: take it away.
    let stale = profile_dir.join("libffi.so.8");
    if std::fs::read_link(&stale).is_ok() {
        let _ = std::fs::remove_file(&stale);
    }
    let dir = profile_dir.join("libffi-dropin");
    let _ = std::fs::create_dir_all(&dir);
    for name in ["libffi.so", "libffi.so.8"] {
        let link = dir.join(name);
        if std::fs::read_link(&link).is_err() {
            let _ = std::fs::remove_file(&link);
            #[cfg(unix)]
            let _ = std::os::unix::fs::symlink("../libffi.so", &link);
        }
    }
}
