//! Photos people upload (profile photos, posters, portfolio photos):
//! the type is sniffed from the bytes, never from the name; the image is
//! decoded within limits, turned upright, resized, and re-encoded as JPEG,
//! which drops any metadata (location, camera) and any payload hidden in
//! the file.
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, metadata::Orientation, imageops::FilterType};
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
pub const TOO_MANY_PIXELS: &str = "Снимок слишком большой: не больше 25 мегапикселей (например, 6000 × 4000).";

/// The most pixels a photo may have. A few kilobytes of PNG can declare
/// 9000 × 9000 pixels, which would take seconds and hundreds of megabytes
/// to decode; the header says so before any decoding starts.
pub const MAX_PIXELS: u64 = 25_000_000;

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
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| NOT_A_PHOTO)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(TOO_MANY_PIXELS);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(10_000);
    limits.max_image_height = Some(10_000);
    // Four bytes for each allowed pixel, and room for the decoder's own.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| NOT_A_PHOTO)?;
    // Phones store a portrait as a landscape plus an EXIF note to turn it;
    // the note goes with the metadata, so the turn is made here.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| NOT_A_PHOTO)?;
    image.apply_orientation(orientation);
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

/// [`normalise`] off the async threads, one photo at a time per process:
/// each may take a core and a hundred megabytes for a moment, so a burst
/// of uploads waits its turn instead of adding up.
pub async fn normalise_in_turn(bytes: Vec<u8>, side: u32) -> Result<Jpeg, &'static str> {
    static TURN: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let _turn = TURN.get_or_init(|| tokio::sync::Semaphore::new(1)).acquire().await.map_err(|_| NOT_A_PHOTO)?;
    tokio::task::spawn_blocking(move || normalise(&bytes, side)).await.unwrap_or(Err(NOT_A_PHOTO))
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

    /// A PNG of `w` × `h` that declares more pixels than it holds: the
    /// header of a real one with its size (and checksum) rewritten.
    pub fn png_declaring(w: u32, h: u32) -> Vec<u8> {
        let mut bytes = png(10, 10);
        // Signature (8), chunk length (4), "IHDR" (4): width and height follow.
        bytes[16..20].copy_from_slice(&w.to_be_bytes());
        bytes[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn pixel_bombs_are_refused_from_their_header() {
        assert_eq!(image::ImageReader::new(Cursor::new(png_declaring(9000, 9000))).with_guessed_format().unwrap().into_dimensions().unwrap(), (9000, 9000));
        assert_eq!(normalise(&png_declaring(9000, 9000), 512).err(), Some(TOO_MANY_PIXELS));
        assert_eq!(normalise(&png_declaring(6000, 4200), 512).err(), Some(TOO_MANY_PIXELS));
        // Within the budget but lying about its size: refused as broken.
        assert_eq!(normalise(&png_declaring(5000, 4000), 512).err(), Some(NOT_A_PHOTO));
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
