//! What the export readers (WordPress, 博客园) share about reading XML text with quick-xml.

use quick_xml::events::BytesRef;
use std::io::BufRead;

/// Step over a UTF-8 byte order mark, which 博客园 and some WordPress plugins put first.
pub fn skip_bom<R: BufRead>(input: &mut R) {
    if let Ok(head) = input.fill_buf()
        && head.starts_with(b"\xEF\xBB\xBF")
    {
        input.consume(3);
    }
}

/// The text of `&amp;` or `&#x4E2D;`. HTML's own entities (`&nbsp;`) are not XML: an export
/// that has one bare is broken, and saying so beats dropping the character.
pub fn resolve_ref(r: &BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(|e| e.to_string())?;
    quick_xml::escape::resolve_xml_entity(&name)
        .map(str::to_string)
        .ok_or_else(|| {
            format!("`&{name};` is not an XML entity (HTML's entities must be escaped in XML)")
        })
}
