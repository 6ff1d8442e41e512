//! Gives the Windows .exe the app's icon and version information
//! (assets/malgrupp.ico; shown by Explorer and in the file's properties).
//! Other targets need nothing built.

fn main() {
    println!("cargo:rerun-if-changed=assets/malgrupp.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/malgrupp.ico")
        .set("ProductName", "Målgruppskartläggning")
        .set("FileDescription", "Målgruppskartläggning")
        .set("CompanyName", "Finsam")
        .set("LegalCopyright", "MIT OR Apache-2.0")
        .set("OriginalFilename", "malgrupp.exe")
        // Swedish (Sweden).
        .set_language(0x041d);
    if let Err(e) = res.compile() {
        // Without windres the .exe cannot carry its icon: say so and stop,
        // rather than ship an exe without it.
        panic!("resursfilen (ikon och versionsinformation) kunde inte byggas: {e}");
    }
}
