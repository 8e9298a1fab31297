//! Photos people upload (profile photos, posters, portfolio photos):
//! the type is sniffed from the bytes, never from the name; the image is
//! decoded within limits, resized, and re-encoded as JPEG, which drops any
//! metadata (location, camera) and any payload hidden in the file.
use image::{ImageFormat, ImageReader, Limits, imageops::FilterType};
use std::io::Cursor;

pub const PROFILE_PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;
pub const PROFILE_PHOTO_SIDE: u32 = 512;
/// Posters keep more detail: they are shown wide on the afisha.
pub const POSTER_SIDE: u32 = 1200;
/// Portfolio photos are looked at full screen by casting directors.
pub const PORTFOLIO_SIDE: u32 = 1600;

/// Why a photo was refused, in words for the person who sent it.
pub const NOT_A_PHOTO: &str = "Это не похоже на фотографию: подойдут JPEG, PNG или WebP.";
pub const TOO_LARGE: &str = "Файл слишком большой: не больше 5 МБ.";

/// A photo as stored: JPEG bytes and their dimensions.
pub struct Jpeg {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Re-encodes an uploaded photo to a JPEG whose longer side is at most `side`.
pub fn normalise(bytes: &[u8], side: u32) -> Result<Jpeg, &'static str> {
    let format = image::guess_format(bytes).map_err(|_| NOT_A_PHOTO)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(NOT_A_PHOTO);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(10_000);
    limits.max_image_height = Some(10_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| NOT_A_PHOTO)?;
    let image = if image.width() > side || image.height() > side {
        image.resize(side, side, FilterType::Lanczos3)
    } else {
        image
    };
    let mut out = Vec::new();
    image
        .to_rgb8()
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .map_err(|_| NOT_A_PHOTO)?;
    Ok(Jpeg { bytes: out, width: image.width(), height: image.height() })
}


#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([120, 20, 40]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn photos_are_resized_and_become_jpeg() {
        let jpeg = normalise(&png(1200, 600), 512).unwrap();
        assert_eq!((jpeg.width, jpeg.height), (512, 256));
        assert_eq!(image::guess_format(&jpeg.bytes).unwrap(), ImageFormat::Jpeg);
        let back = image::load_from_memory(&jpeg.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (512, 256));
    }

    #[test]
    fn other_files_are_refused_whatever_their_name() {
        assert_eq!(normalise(b"<?php system($_GET['c']); ?>", 512).err(), Some(NOT_A_PHOTO));
        assert_eq!(normalise(b"<html><script>alert(1)</script>", 512).err(), Some(NOT_A_PHOTO));
        assert_eq!(normalise(b"GIF89a....", 512).err(), Some(NOT_A_PHOTO));
        let mut truncated = png(100, 100);
        truncated.truncate(60);
        assert_eq!(normalise(&truncated, 512).err(), Some(NOT_A_PHOTO));
    }
}
