//! Real readers: `zbarimg` (Debian zbar-tools) and the Rust decoder `rqrr` for symbols, poppler's
//! `pdftoppm` and `pdftotext` for PDFs, resvg for SVG. A missing tool fails the test, never skips it.

use std::path::Path;
use std::process::Command;

fn require(tool: &str) {
    let found =
        std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
    assert!(
        found,
        "`{tool}` is not installed: run .ci/run once (it installs zbar-tools and poppler-utils), or apt-get install them"
    );
}

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    require(tool);
    Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"))
}

/// Every QR symbol zbarimg finds in an image file, in its order.
pub fn zbar_file(path: &Path) -> Vec<String> {
    let out = run(
        "zbarimg",
        &["--raw".as_ref(), "-q".as_ref(), "-Sdisable".as_ref(), "-Sqrcode.enable".as_ref(), path.as_os_str()],
    );
    // Exit status 4 means "no symbol found": an empty list, for the caller to judge.
    assert!(out.status.success() || out.status.code() == Some(4), "zbarimg: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").lines().map(str::to_owned).collect()
}

/// Every QR symbol zbarimg finds in PNG bytes.
pub fn zbar(png: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("image.png");
    std::fs::write(&path, png).expect("write png");
    zbar_file(&path)
}

/// Every symbol rqrr finds, as (version, text).
pub fn rqrr_all(img: image::GrayImage) -> Vec<(usize, String)> {
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .iter()
        .map(|g| {
            let (meta, text) = g.decode().expect("rqrr decodes the symbol");
            (meta.version.0, text)
        })
        .collect()
}

/// An SVG drawn by resvg at its own size on white, as a PNG.
pub fn rasterise_svg(svg: &str) -> Vec<u8> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("valid standalone SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().expect("png")
}

/// The pages of a PDF as poppler renders them (`pdftoppm -r {dpi} -png`), as PNG files in order.
pub fn pdf_pages(pdf: &[u8], dpi: u32, dir: &Path) -> Vec<std::path::PathBuf> {
    let file = dir.join("doc.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let prefix = dir.join("page");
    let dpi = dpi.to_string();
    let out = run("pdftoppm", &["-r".as_ref(), dpi.as_ref(), "-png".as_ref(), file.as_os_str(), prefix.as_os_str()]);
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages
}

/// The text poppler extracts from a PDF.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let out = run("pdftotext", &["-enc".as_ref(), "UTF-8".as_ref(), file.as_os_str(), "-".as_ref()]);
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}
