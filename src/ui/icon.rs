//! The app's icon (assets/malgrupp.png, drawn for this project), for the
//! window on every platform. The .exe carries the same picture
//! (assets/malgrupp.ico, build.rs).

/// The icon as PNG bytes.
pub const PNG: &[u8] = include_bytes!("../../assets/malgrupp.png");

/// The icon decoded for the window; `None` if it cannot be read (the window
/// then opens with the system's default icon).
pub fn window_icon() -> Option<egui::IconData> {
    let mut decoder = png::Decoder::new(PNG);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return None,
    };
    Some(egui::IconData {
        rgba,
        width: info.width,
        height: info.height,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_decodes_to_a_square_with_transparent_corners() {
        let icon = super::window_icon().expect("icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        assert_eq!(icon.rgba[3], 0, "the corner is transparent");
        let centre = ((128 * 256 + 20) * 4) as usize;
        assert_eq!(icon.rgba[centre + 3], 255);
    }
}
