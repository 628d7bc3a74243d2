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

/// Why an export could not be read: the XML is broken at `offset` (bytes from the start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub offset: u64,
    pub message: String,
}

/// What the stream found: an element opened (with its attributes), or closed with the text
/// it held and the name of the element around it.
pub enum Step {
    Open {
        name: String,
        start: quick_xml::events::BytesStart<'static>,
    },
    Close {
        name: String,
        parent: String,
        text: String,
    },
    End,
}

/// An XML file as elements with their text (CDATA and entities read), one step at a time:
/// what both export readers walk.
pub struct XmlStream<R: BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    path: Vec<String>,
    text: String,
}

impl<R: BufRead> XmlStream<R> {
    pub fn new(mut input: R) -> Self {
        skip_bom(&mut input);
        let mut xml = quick_xml::Reader::from_reader(input);
        xml.config_mut().trim_text(false);
        XmlStream {
            xml,
            buf: Vec::new(),
            path: Vec::new(),
            text: String::new(),
        }
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.path.len()
    }

    /// An error at the reader's place: where quick-xml stopped if it found the fault, else
    /// the end of the last event read.
    pub fn error(&self, message: impl Into<String>) -> XmlError {
        let offset = match self.xml.error_position() {
            0 => self.xml.buffer_position(),
            at => at,
        };
        XmlError {
            offset,
            message: message.into(),
        }
    }

    pub fn step(&mut self) -> Result<Step, XmlError> {
        use quick_xml::events::Event;
        loop {
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e.into_owned(),
                Err(e) => return Err(self.error(e.to_string())),
            };
            match event {
                Event::Start(start) => {
                    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                    self.path.push(name.clone());
                    self.text.clear();
                    return Ok(Step::Open { name, start });
                }
                Event::Text(t) => {
                    let s = t.decode().map_err(|e| self.error(e.to_string()))?;
                    self.text.push_str(&s);
                }
                Event::CData(t) => {
                    let s = t.decode().map_err(|e| self.error(e.to_string()))?;
                    self.text.push_str(&s);
                }
                Event::GeneralRef(r) => {
                    let s = resolve_ref(&r).map_err(|e| self.error(e))?;
                    self.text.push_str(&s);
                }
                Event::End(_) => {
                    let Some(name) = self.path.pop() else {
                        return Err(self.error("a closing tag without its opening tag"));
                    };
                    return Ok(Step::Close {
                        name,
                        parent: self.path.last().cloned().unwrap_or_default(),
                        text: std::mem::take(&mut self.text),
                    });
                }
                Event::Eof => {
                    return match self.path.last() {
                        Some(open) => {
                            Err(self
                                .error(format!("the file ends inside <{open}>: it was cut short")))
                        }
                        None => Ok(Step::End),
                    };
                }
                _ => {}
            }
        }
    }
}
