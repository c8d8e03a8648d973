//! A small streaming XML scanner shared by the TCX and GPX readers (quick-xml underneath).
//!
//! It hands the reader each element's **local name** (namespace prefix dropped, so
//! `ns3:TPX`, `gpxtpx:hr` and a `TPX` under a default `xmlns` all read the same) when it
//! opens, with its attributes, and again when it closes, with the text directly inside it.
//!
//! Hostile input. A document type declaration (`<!DOCTYPE …>`) is skipped, never fetched
//! nor expanded: only the five predefined entities (`&lt;` `&gt;` `&amp;` `&apos;` `&quot;`)
//! and character references are resolved, and any other entity reference is an error, so
//! "billion laughs" expansion and external entities cannot happen. Mismatched end tags and a
//! document that ends inside an element are errors with the line they were found on.

use crate::error::IngestError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::path::Path;

/// An element event handed to the reader.
pub enum XmlEvent<'e> {
    /// An element opened (for `<a/>`, `Open` then `Close` with empty text).
    Open {
        /// Local name (`TPX` for `ns3:TPX`).
        name: &'e [u8],
        /// The start tag, for its attributes ([`attr`]).
        tag: &'e BytesStart<'e>,
    },
    /// An element closed; `text` is the text directly inside it, trimmed.
    Close {
        /// Local name.
        name: &'e [u8],
        /// Its text content (entities resolved), trimmed.
        text: &'e str,
    },
}

/// Strip a UTF-8 byte-order mark and whitespace before the first `<` (some exporters write
/// a blank line or a BOM before `<?xml`, which the XML specification does not allow).
pub fn strip_prolog_junk(text: &str) -> &str {
    text.trim_start_matches('\u{feff}').trim_start()
}

/// An attribute's unescaped value by its local name (`CadenceSensor`, `xsi:type` as `type`).
pub fn attr(tag: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok().map(|v| v.trim().to_string()))
}

/// 1-based line of a byte offset.
pub fn line_at(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

/// The error for `reason` at byte `offset` of `text`.
pub fn error_at(path: &Path, text: &str, offset: usize, reason: impl Into<String>) -> IngestError {
    IngestError::Xml {
        path: path.to_path_buf(),
        line: line_at(text, offset),
        reason: reason.into(),
    }
}

/// Scan `text`, calling `handle` for every element opening and closing. `handle` returns
/// `Err(reason)` to stop with an error at the current line.
///
/// # Errors
/// [`IngestError::Xml`] naming the line: malformed XML, an undefined entity, a document cut
/// short, or the handler's reason.
pub fn scan(
    path: &Path,
    text: &str,
    mut handle: impl FnMut(XmlEvent<'_>) -> Result<(), String>,
) -> Result<(), IngestError> {
    let body = strip_prolog_junk(text);
    let skipped = text.len() - body.len();
    let mut reader = Reader::from_str(body);
    let mut content = String::new();
    let mut open: Vec<Vec<u8>> = Vec::new();
    loop {
        let pos = skipped + reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            let at = skipped + reader.error_position() as usize;
            error_at(path, text, at, format!("malformed XML: {e}"))
        })?;
        let fail = |reason: String| error_at(path, text, pos, reason);
        match ev {
            Event::Start(tag) => {
                content.clear();
                let name = tag.local_name().as_ref().to_vec();
                handle(XmlEvent::Open {
                    name: &name,
                    tag: &tag,
                })
                .map_err(fail)?;
                open.push(name);
            }
            Event::Empty(tag) => {
                content.clear();
                let local = tag.local_name();
                let name = local.as_ref();
                handle(XmlEvent::Open { name, tag: &tag }).map_err(fail)?;
                handle(XmlEvent::Close { name, text: "" }).map_err(fail)?;
            }
            Event::End(_) => {
                let name = open.pop().unwrap_or_default();
                handle(XmlEvent::Close {
                    name: &name,
                    text: content.trim(),
                })
                .map_err(fail)?;
                content.clear();
            }
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| fail(format!("text that is not valid UTF-8: {e}")))?;
                content.push_str(&s);
            }
            Event::CData(t) => {
                let s = t
                    .decode()
                    .map_err(|e| fail(format!("CDATA that is not valid UTF-8: {e}")))?;
                content.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined_entity(&r),
                    Err(e) => return Err(fail(format!("bad character reference: {e}"))),
                };
                match resolved {
                    Some(c) => content.push(c),
                    None => {
                        return Err(fail(format!(
                            "undefined entity '&{};' (gaitguard resolves only XML's five predefined entities and never expands entities a DTD declares)",
                            String::from_utf8_lossy(&r)
                                .chars()
                                .take(40)
                                .collect::<String>()
                        )));
                    }
                }
            }
            Event::Eof => break,
            // Declaration, processing instructions, comments and the DTD carry no data; the
            // DTD is neither fetched nor expanded.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    match open.last() {
        Some(name) => Err(error_at(
            path,
            text,
            text.len(),
            format!(
                "the document ends inside <{}> (a file cut short?)",
                String::from_utf8_lossy(name)
            ),
        )),
        None => Ok(()),
    }
}

/// `&lt;` `&gt;` `&amp;` `&apos;` `&quot;`.
fn predefined_entity(name: &[u8]) -> Option<char> {
    Some(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => return None,
    })
}

/// A number in an element's text, or `Err` naming the element and what was found.
pub fn number(name: &[u8], text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "<{}>: expected a number, found '{}'",
            String::from_utf8_lossy(name),
            text.chars().take(40).collect::<String>()
        )),
    }
}

/// The root element's local name, from the first 64 KiB of a document (for format
/// detection); `None` when the text does not start like XML.
pub fn root_element(head: &str) -> Option<String> {
    let body = strip_prolog_junk(head);
    if !body.starts_with('<') {
        return None;
    }
    let mut reader = Reader::from_str(body);
    loop {
        match reader.read_event() {
            Ok(Event::Start(t)) | Ok(Event::Empty(t)) => {
                return Some(String::from_utf8_lossy(t.local_name().as_ref()).into_owned());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(xml: &str) -> Result<Vec<String>, IngestError> {
        let mut out = Vec::new();
        scan(Path::new("t.xml"), xml, |ev| {
            match ev {
                XmlEvent::Open { name, tag } => out.push(format!(
                    "+{}{}",
                    String::from_utf8_lossy(name),
                    attr(tag, b"k")
                        .map(|v| format!("[{v}]"))
                        .unwrap_or_default()
                )),
                XmlEvent::Close { name, text } => {
                    out.push(format!("-{}={text}", String::from_utf8_lossy(name)))
                }
            }
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn local_names_text_and_predefined_entities() {
        let ev = events(
            "\u{feff}\n  <?xml version=\"1.0\"?><a xmlns:p=\"u\"><p:b k=\"x&amp;y\">1 &lt; 2&#x21;</p:b><c/></a>",
        )
        .unwrap();
        assert_eq!(ev, ["+a", "+b[x&y]", "-b=1 < 2!", "+c", "-c=", "-a="]);
    }

    #[test]
    fn entities_from_a_dtd_are_refused_not_expanded() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;\">]>\n<a>&y;</a>";
        let e = events(bomb).unwrap_err().to_string();
        assert!(
            e.contains("line 3") && e.contains("undefined entity '&y;'"),
            "{e}"
        );
        let ext = "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>";
        assert!(
            events(ext)
                .unwrap_err()
                .to_string()
                .contains("undefined entity")
        );
    }

    #[test]
    fn malformed_and_truncated_documents_name_the_line() {
        let e = events("<a>\n<b>\n</c></a>").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("malformed XML"), "{e}");
        let e = events("<a>\n<b>1</b>\n<b>2").unwrap_err().to_string();
        assert!(e.contains("ends inside <b>"), "{e}");
        assert_eq!(
            number(b"hr", "12x").unwrap_err(),
            "<hr>: expected a number, found '12x'"
        );
    }

    #[test]
    fn root_element_skips_declarations_and_comments() {
        assert_eq!(
            root_element("\n<?xml version='1.0'?><!-- c --><gpx version=\"1.1\">").as_deref(),
            Some("gpx")
        );
        assert_eq!(root_element("a,b,c"), None);
    }
}
