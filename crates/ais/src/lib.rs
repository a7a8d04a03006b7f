//! Tessera's AIS decoder: an engine library over plain bytes.
//!
//! It reads NMEA 0183 `!AIVDM` / `!AIVDO` sentences (any talker id), with
//! tag blocks, `$PGHP` time stamps, GoFree's extra field, empty channels,
//! receiver fields after the checksum and over-long payloads; reassembles
//! multi-part messages in a bounded table; and decodes all 27 message types
//! of ITU-R M.1371-5 with field names that follow pyais. Values the standard
//! calls "not available" are `None`; bad input is counted by [`Reason`] and
//! never stops decoding. Nothing allocates per position report.
//!
//! ```
//! use tessera_ais::{Body, Decoder};
//! let mut decoder = Decoder::new();
//! let m = decoder.feed(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A").unwrap();
//! assert_eq!(m.mmsi, 371798000);
//! let Body::Position(p) = m.body else { unreachable!() };
//! assert_eq!(p.speed, Some(12.3));
//! ```

pub mod bits;
mod decoder;
pub mod fields;
pub mod message;
mod text;
pub mod time;

pub use decoder::{Decoder, MAX_LINE, Messages, Options, Reason, Stats, read_line};
pub use fields::Value;
pub use message::{Body, Message, Meta};
pub use text::Text;
