use super::*;

#[test]
fn widths_never_scale_up() {
    assert_eq!(variant_widths(4000), [480, 960, 1600]);
    assert_eq!(variant_widths(1000), [480, 960, 1000]);
    assert_eq!(variant_widths(960), [480, 960]);
    assert_eq!(variant_widths(300), [300]);
    assert_eq!(scaled_height(4000, 3000, 960), 720);
}

#[test]
fn a_site_image_address_reads_back() {
    let image = SiteImage::parse("/filer/0123456789abcdef-1600x1200.jpg").unwrap();
    assert_eq!(
        image.markdown_src(),
        "/filer/0123456789abcdef-1600x1200.jpg"
    );
    assert_eq!(
        image.srcset(),
        "/filer/0123456789abcdef-480.jpg 480w, /filer/0123456789abcdef-960.jpg 960w, /filer/0123456789abcdef-1600.jpg 1600w"
    );
    for other in [
        "/filer/0123456789abcdef-1600.jpg",
        "https://example.org/filer/0123456789abcdef-1600x1200.jpg",
        "/filer/0123456789ABCDEF-1600x1200.jpg",
        "/filer/0123456789abcdef-1600x1200.gif",
        "/filer/0123456789abcdef-0x1200.jpg",
    ] {
        assert_eq!(SiteImage::parse(other), None, "{other}");
    }
}

#[test]
fn names_lose_their_path_and_get_their_real_extension() {
    assert_eq!(
        sanitise_name("C:\\Users\\kari\\Mal for plan.docx", Format::Docx).unwrap(),
        "Mal for plan.docx"
    );
    assert_eq!(
        sanitise_name("../../etc/passwd", Format::Pdf).unwrap(),
        "passwd.pdf"
    );
    assert_eq!(
        sanitise_name("\"a\";b<c>.pdf", Format::Pdf).unwrap(),
        "a-b-c.pdf"
    );
    assert_eq!(sanitise_name("..", Format::Png).unwrap(), "fil.png");
    assert!(sanitise_name("a\r\nb.pdf", Format::Pdf).is_err());
    assert!(sanitise_name("a\u{0}.pdf", Format::Pdf).is_err());
}

#[test]
fn sizes_read_as_norwegian() {
    assert_eq!(human_size(24_300), "24 kB");
    assert_eq!(human_size(1_340_000), "1,3 MB");
    assert_eq!(human_size(12), "12 B");
    assert_eq!(human_size(1 << 30), "1,0 GB");
}

#[test]
fn a_download_says_its_type_and_size() {
    let download = Download {
        hash: "0123456789abcdef".into(),
        name: "Mal for brukerråd.docx".into(),
        format: Format::Docx,
        bytes: 24_300,
    };
    assert_eq!(
        download.link_text(),
        "Last ned «Mal for brukerråd» (DOCX, 24 kB)"
    );
    assert_eq!(
        download.url(),
        "/filer/0123456789abcdef/Mal-for-brukerr-d.docx"
    );
}
