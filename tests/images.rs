//! Images in posts: their size read from the files (EXIF orientation respected), loaded
//! lazily, a click away from the full file; an image that names no file stops the build.

use crate::common;

use common::{TestSite, select, snapshot};

/// The first bytes of a PNG: enough for a reader of its header (no pixels).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 6, 0, 0, 0]);
    b.extend([0; 4]); // CRC, which header readers do not check
    b
}

/// A JPEG's markers up to its frame header, with an EXIF orientation tag.
fn jpeg(width: u16, height: u16, orientation: u16) -> Vec<u8> {
    // TIFF, big-endian: one IFD with one entry (Orientation, SHORT, 1 value).
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut b = vec![0xff, 0xd8, 0xff, 0xe1];
    b.extend((app1.len() as u16 + 2).to_be_bytes());
    b.extend(app1);
    // SOF0: length 11, 8 bits, height, width, one component.
    b.extend([0xff, 0xc0, 0, 11, 8]);
    b.extend(height.to_be_bytes());
    b.extend(width.to_be_bytes());
    b.extend([1, 1, 0x11, 0]);
    b.extend([0xff, 0xd9]);
    b
}

const PAGE: &str = "p/figs/index.html";

fn site_with_images() -> TestSite {
    let site = TestSite::new("permalinks:\n  posts: /p/{slug}/\n");
    site.write_bytes("content/posts/figs/wide.png", &png(640, 200));
    site.write_bytes("content/posts/figs/turned.jpg", &jpeg(300, 100, 6));
    site.write_bytes("content/posts/figs/upright.jpg", &jpeg(300, 100, 1));
    site.write_bytes("static/img/logo.png", &png(32, 48));
    site.post(
        "figs",
        "title: Figures\ndate: 2014-11-19 10:00\n",
        "Text.\n\n![A wide one](wide.png)\n\n![Turned](figs/turned.jpg \"a title\")\n\n\
         ![Upright](@/posts/figs/upright.jpg)\n\n![Logo](/img/logo.png)\n\n\
         [![Linked](wide.png)](https://example.org/)\n\n![Remote](https://example.org/r.png)\n",
    );
    site.post(
        "plain",
        "title: Plain\ndate: 2014-11-18 10:00\n",
        "No pictures here.\n",
    );
    site
}

#[test]
fn images_carry_their_files_sizes_and_link_to_them() {
    let site = site_with_images();
    site.build(&[]).assert_ok();
    let doc = site.html(PAGE);
    let imgs = select(&doc, "article img, main img");
    let attr = |alt: &str, name: &str| -> Option<String> {
        imgs.iter()
            .find(|i| i.value().attr("alt") == Some(alt))
            .unwrap_or_else(|| panic!("no image {alt}"))
            .value()
            .attr(name)
            .map(str::to_string)
    };
    let size = |alt: &str| (attr(alt, "width"), attr(alt, "height"));
    let px = |w: u32, h: u32| (Some(w.to_string()), Some(h.to_string()));
    assert_eq!(size("A wide one"), px(640, 200));
    // Orientation 6 turns the picture a quarter: it shows 100 wide, 300 high.
    assert_eq!(size("Turned"), px(100, 300));
    assert_eq!(size("Upright"), px(300, 100));
    assert_eq!(size("Logo"), px(32, 48));
    assert_eq!(size("Remote"), (None, None));
    assert_eq!(attr("Turned", "title").as_deref(), Some("a title"));
    for alt in [
        "A wide one",
        "Turned",
        "Upright",
        "Logo",
        "Linked",
        "Remote",
    ] {
        assert_eq!(attr(alt, "loading").as_deref(), Some("lazy"), "{alt}");
        assert_eq!(attr(alt, "decoding").as_deref(), Some("async"), "{alt}");
    }
    // A click opens the file itself; an image already in a link keeps that link only.
    let links: Vec<(String, String)> = select(&doc, "a.image")
        .iter()
        .map(|a| {
            let img = a.children().filter_map(scraper::ElementRef::wrap).next();
            (
                a.value().attr("href").unwrap().to_string(),
                img.and_then(|i| i.value().attr("src")).unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(links.len(), 5, "{links:?}");
    assert!(links.iter().all(|(href, src)| href == src), "{links:?}");
    assert!(
        links.iter().any(|(h, _)| h == "/p/figs/wide.png"),
        "{links:?}"
    );
    assert!(links.iter().any(|(h, _)| h == "/img/logo.png"), "{links:?}");
    let linked = select(&doc, "a[href=\"https://example.org/\"] img");
    assert_eq!(linked.len(), 1);
    assert_eq!(select(&doc, "a a").len(), 0, "a link inside a link");
    assert!(site.out().join("p/figs/turned.jpg").is_file());

    // The same input builds the same bytes.
    let first = snapshot(&site.out());
    site.build(&[]).assert_ok();
    assert_eq!(first, snapshot(&site.out()));
}

#[test]
fn a_missing_image_is_an_error_at_its_line_and_the_old_output_stays() {
    let site = site_with_images();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    site.post(
        "figs",
        "title: Figures\ndate: 2014-11-19 10:00\n",
        "Text.\n\n![A wide one](wide.png)\n\n![Gone](gone.png)\n",
    );
    site.post(
        "other",
        "title: Other\ndate: 2014-11-17 10:00\n",
        "One.\n\nTwo.\n\n![Absent](/img/absent.png)\n",
    );
    site.build(&[]).assert_error(&[
        "content/posts/figs.md:9",
        "gone.png",
        "content/posts/other.md:9",
        "static/img/absent.png",
    ]);
    assert_eq!(before, snapshot(&site.out()), "the old output changed");
}

/// A real picture, `width` × `height`, with some detail for the encoders to keep.
fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn large_pictures_get_smaller_copies_made_once() {
    let site = TestSite::new("permalinks:\n  posts: /p/{slug}/\n");
    site.write_bytes(
        "content/posts/big/wide.png",
        &picture(1600, 400, image::ImageFormat::Png),
    );
    site.write_bytes(
        "content/posts/big/photo.jpg",
        &picture(1300, 650, image::ImageFormat::Jpeg),
    );
    site.write_bytes(
        "content/posts/big/small.png",
        &picture(800, 100, image::ImageFormat::Png),
    );
    site.post(
        "big",
        "title: Big\ndate: 2014-11-19 10:00\n",
        "![Wide](wide.png)\n\n![Photo](photo.jpg)\n\n![Small](small.png)\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("p/big/index.html");
    let img = |alt: &str| {
        select(&doc, &format!("img[alt={alt}]"))
            .first()
            .unwrap_or_else(|| panic!("no image {alt}"))
            .value()
            .clone()
    };
    assert_eq!(
        img("Wide").attr("srcset"),
        Some("/p/big/wide-480w.png 480w, /p/big/wide-960w.png 960w, /p/big/wide.png 1600w")
    );
    assert_eq!(img("Small").attr("srcset"), None);
    let webp = select(&doc, "picture source[type=\"image/webp\"]");
    assert_eq!(webp.len(), 2, "one WebP source for each large picture");
    let out = site.out().join("p/big");
    for (name, width, height) in [
        ("wide-480w.png", 480, 120),
        ("wide-960w.png", 960, 240),
        ("wide-480w.webp", 480, 120),
        ("wide.webp", 1600, 400),
        ("photo-960w.jpg", 960, 480),
        ("photo-480w.webp", 480, 240),
        ("photo.webp", 1300, 650),
    ] {
        let path = out.join(name);
        assert_eq!(
            image::image_dimensions(&path).unwrap_or_else(|e| panic!("{name}: {e}")),
            (width, height),
            "{name}"
        );
    }
    assert!(!out.join("small-480w.png").exists());
    // Every srcset entry of the page is a file that was written.
    for set in select(&doc, "[srcset]") {
        for entry in set.value().attr("srcset").unwrap().split(", ") {
            let url = entry.split(' ').next().unwrap();
            assert!(site.out().join(&url[1..]).is_file(), "{url}");
        }
    }

    // A second build takes the copies from the cache, untouched, and gives the same bytes.
    let cache = site.path().join(".boke/cache/images");
    let stamps = |dir: &std::path::Path| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.path(), e.metadata().unwrap().modified().unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let cached = stamps(&cache);
    assert_eq!(cached.len(), 2 * 5, "five copies of each large picture");
    let first = snapshot(&site.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build(&[]).assert_ok();
    assert_eq!(stamps(&cache), cached, "the copies were made again");
    assert_eq!(first, snapshot(&site.out()));
}

#[test]
fn a_file_of_the_post_named_like_a_smaller_copy_is_an_error_not_overwritten() {
    let site = TestSite::new("permalinks:\n  posts: /p/{slug}/\n");
    site.write_bytes(
        "content/posts/big/wide.png",
        &picture(1600, 400, image::ImageFormat::Png),
    );
    site.post(
        "big",
        "title: Big\ndate: 2014-11-19 10:00\n",
        "![Wide](wide.png)\n",
    );
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    // The writer's own WebP of the picture, and a file that happens to bear a copy's name.
    site.write_bytes("content/posts/big/wide.webp", b"the writer's own");
    site.write_bytes("content/posts/big/wide-480w.png", b"another picture");
    site.build(&[]).assert_error(&[
        "content/posts/big/wide.webp",
        "content/posts/big/wide-480w.png",
        "p/big/wide.webp",
        "smaller copy",
        "rename the file",
    ]);
    assert_eq!(before, snapshot(&site.out()), "the old output changed");

    // Renamed, both are published as they are, beside the copies.
    std::fs::rename(
        site.path().join("content/posts/big/wide.webp"),
        site.path().join("content/posts/big/wide-own.webp"),
    )
    .unwrap();
    std::fs::remove_file(site.path().join("content/posts/big/wide-480w.png")).unwrap();
    site.build(&[]).assert_ok();
    let out = site.out().join("p/big");
    assert_eq!(
        std::fs::read(out.join("wide-own.webp")).unwrap(),
        b"the writer's own"
    );
    assert_eq!(
        image::image_dimensions(out.join("wide.webp")).unwrap(),
        (1600, 400)
    );
}
