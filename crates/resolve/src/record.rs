//! Plain records and the roles of their fields, and a CSV reader for them.

use foldhash::{HashMap, HashMapExt};

use crate::ResolveError;

/// What a field means, so the engine knows how to normalise, block on and
/// compare it without knowing anything about the source system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// First or given name(s).
    GivenName,
    /// Family name.
    Surname,
    /// A whole name in one field, in any order.
    FullName,
    /// Date of birth, possibly partial.
    BirthDate,
    /// Telephone number in any format.
    Phone,
    /// Postal code.
    Postcode,
    /// Suburb, town or city.
    Suburb,
    /// State, province or region.
    State,
    /// House or street number.
    StreetNumber,
    /// Free-text address line.
    Address,
    /// Passport, identity card or social-security number.
    DocumentNumber,
    /// Nationality or citizenship, as a code, country name or adjective.
    Nationality,
    /// Sex or gender marker (`M`, `F`, `male`, `X`...).
    Sex,
    /// Anything else, compared as text.
    Other,
    /// Every name and alias of an organisation, separated by
    /// [`organisation::SEPARATOR`](crate::organisation::SEPARATOR): compared
    /// name by name on their distinctive words (see [`crate::organisation`]).
    OrganisationName,
    /// The entities that belong to the record, as ids the caller has already
    /// resolved (an organisation's members as person clusters), separated by
    /// [`organisation::SEPARATOR`](crate::organisation::SEPARATOR): compared
    /// by how many they share.
    Members,
}

impl Role {
    /// Whether the role holds a person's name (compared with name keys).
    pub fn is_name(self) -> bool {
        matches!(self, Role::GivenName | Role::Surname | Role::FullName)
    }
}

/// The named fields every record of a run carries, in order, with their
/// roles; `Record::fields[i]` is the value of `Schema::fields[i]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Schema {
    /// Field names and roles, in record order.
    pub fields: Vec<(String, Role)>,
}

impl Schema {
    /// Builds a schema from `(name, role)` pairs.
    pub fn new<S: Into<String>>(fields: impl IntoIterator<Item = (S, Role)>) -> Self {
        Schema { fields: fields.into_iter().map(|(n, r)| (n.into(), r)).collect() }
    }

    /// Index of the first field with `role`, if any.
    pub fn first(&self, role: Role) -> Option<usize> {
        self.fields.iter().position(|(_, r)| *r == role)
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the schema has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// One input record: its identifier in the source and its raw field values
/// in schema order (empty when missing).
///
/// The values live one after another in one buffer: a run reads hundreds of
/// thousands of records, and a separate allocation per value cost more than
/// parsing the file (and scattered every record over the heap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Identifier in the source file.
    pub id: String,
    /// The values, concatenated.
    text: String,
    /// Where each value ends in `text`.
    ends: Box<[usize]>,
}

impl Record {
    /// A record with identifier `id` and `fields` in schema order.
    pub fn new<S: AsRef<str>, I>(id: impl Into<String>, fields: I) -> Record
    where
        I: IntoIterator<Item = S>,
        I::IntoIter: Clone,
    {
        let fields = fields.into_iter();
        // Sized first, so the buffer is allocated once.
        let mut text = String::with_capacity(fields.clone().map(|f| f.as_ref().len()).sum());
        let ends = fields
            .map(|f| {
                text.push_str(f.as_ref());
                text.len()
            })
            .collect();
        Record { id: id.into(), text, ends }
    }

    /// Value of field `i` (empty when missing or past the last field).
    pub fn field(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends.get(i - 1).copied().unwrap_or(usize::MAX) };
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.text.get(start..end).unwrap_or("")
    }

    /// Every value, in schema order.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.field(i))
    }

    /// Number of fields.
    pub fn field_count(&self) -> usize {
        self.ends.len()
    }
}

/// A CSV reader's error as the file's, at the line it names.
pub(crate) fn csv_error(path: &str, e: csv::Error) -> ResolveError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    ResolveError::Csv { path: path.to_string(), line, message: e.to_string() }
}

/// Position of column `name` in a CSV `header` (cells trimmed), or the error
/// naming the file and the column.
pub(crate) fn header_column(path: &str, header: &csv::StringRecord, name: &str) -> Result<usize, ResolveError> {
    header
        .iter()
        .position(|h| h.trim() == name)
        .ok_or_else(|| ResolveError::MissingColumn { path: path.to_string(), column: name.to_string() })
}

/// Reads records from a CSV file with a header line, taking the identifier
/// from `id_column` and one field per `(column, role)` in that order.
///
/// Errors name the file, the line and the column; duplicate identifiers are
/// an error because pairs and clusters refer to records by them.
pub fn read_csv(path: &str, id_column: &str, roles: &[(&str, Role)]) -> Result<Vec<Record>, ResolveError> {
    let file = std::fs::File::open(path).map_err(|source| ResolveError::Io { path: path.to_string(), source })?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(std::io::BufReader::new(file));
    let csv_err = |e: csv::Error| csv_error(path, e);
    let header = reader.headers().map_err(csv_err)?.clone();
    let column = |name: &str| header_column(path, &header, name);
    let id_idx = column(id_column)?;
    let idx: Vec<usize> = roles.iter().map(|(c, _)| column(c)).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let mut row = csv::StringRecord::new();
    while reader.read_record(&mut row).map_err(csv_err)? {
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let id = row.get(id_idx).unwrap_or("").trim();
        if id.is_empty() {
            let message = "empty identifier".to_string();
            return Err(ResolveError::Field { path: path.to_string(), line, column: id_column.to_string(), message });
        }
        out.push(Record::new(id, idx.iter().map(|&i| row.get(i).unwrap_or("").trim())));
        lines.push(line);
    }
    // Identifiers are checked once all are read, so that none is copied.
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(out.len());
    for (record, &line) in out.iter().zip(&lines) {
        if seen.insert(record.id.as_str(), ()).is_some() {
            let message = format!("duplicate identifier {:?}", record.id);
            return Err(ResolveError::Field { path: path.to_string(), line, column: id_column.to_string(), message });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> String {
        let dir = std::env::temp_dir().join(format!("tessera-resolve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let p = dir.join(name);
        std::fs::write(&p, text).ok();
        p.to_string_lossy().into_owned()
    }

    #[test]
    fn a_record_holds_its_values_in_order() {
        let r = Record::new("x", ["Omar", "", "Haddad"]);
        assert_eq!((r.field(0), r.field(1), r.field(2), r.field(3)), ("Omar", "", "Haddad", ""));
        assert_eq!(r.fields().collect::<Vec<_>>(), ["Omar", "", "Haddad"]);
        assert_eq!(r.field_count(), 3);
        let none = Record::new("y", Vec::<String>::new());
        assert_eq!((none.field(0), none.field_count()), ("", 0));
    }

    #[test]
    fn reads_columns_by_name() {
        let p = write("ok.csv", "id,sn,gn\n1,smith,john\n2,doe,\n");
        let r = read_csv(&p, "id", &[("gn", Role::GivenName), ("sn", Role::Surname)]).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].fields().collect::<Vec<_>>(), vec!["john", "smith"]);
        assert_eq!(r[1].fields().collect::<Vec<_>>(), vec!["", "doe"]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let p = write("dup.csv", "id,sn\n1,a\n1,b\n");
        let e = read_csv(&p, "id", &[("sn", Role::Surname)]).unwrap_err().to_string();
        assert!(e.contains("dup.csv:3") && e.contains("\"id\""), "{e}");
        let e = read_csv(&p, "id", &[("zz", Role::Surname)]).unwrap_err().to_string();
        assert!(e.contains("\"zz\""), "{e}");
        let p = write("ragged.csv", "id,sn\n1,a\n2,b,c\n");
        let e = read_csv(&p, "id", &[("sn", Role::Surname)]).unwrap_err().to_string();
        assert!(e.contains("ragged.csv:3"), "{e}");
    }
}
