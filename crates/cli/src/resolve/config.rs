//! The settings of a `tessera resolve` run: a TOML file (`--config`) and the
//! flags, which override it. Every mistake is reported with the file and
//! line (or the flag) it comes from.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use tessera_resolve::{Config, Role, Rule, Schema};
use toml::Spanned;

/// Role names as written in flags and config files, with their roles.
const ROLES: [(&str, Role); 14] = [
    ("given_name", Role::GivenName),
    ("surname", Role::Surname),
    ("full_name", Role::FullName),
    ("birth_date", Role::BirthDate),
    ("phone", Role::Phone),
    ("postcode", Role::Postcode),
    ("suburb", Role::Suburb),
    ("state", Role::State),
    ("street_number", Role::StreetNumber),
    ("address", Role::Address),
    ("document_number", Role::DocumentNumber),
    ("nationality", Role::Nationality),
    ("sex", Role::Sex),
    ("other", Role::Other),
];

fn role(name: &str) -> Option<Role> {
    ROLES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

fn role_names() -> String {
    ROLES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// `NameKeyBirthYear` → `name_key_birth_year`.
fn snake(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The engine's name of a rule (`NameKeyBirthYear`).
fn rule_engine_name(rule: Rule) -> String {
    serde_json::to_value(rule).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A blocking rule by its snake_case name (`name_key_birth_year`); the engine's
/// own spelling (`NameKeyBirthYear`) is accepted too.
fn rule(name: &str) -> Option<Rule> {
    let pascal: String = name
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    [name.to_string(), pascal]
        .into_iter()
        .find_map(|candidate| serde_json::from_value(serde_json::Value::String(candidate)).ok())
}

fn rule_names() -> String {
    Rule::defaults().into_iter().map(|r| snake(&rule_engine_name(r))).collect::<Vec<_>>().join(", ")
}

/// Where a setting came from, to name it in errors.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A command-line flag, as written.
    Flag(String),
    /// A line of the config file, and the key.
    File { line: usize, key: String },
}

/// The flags that can override the config file.
#[derive(Debug, Default)]
pub struct Overrides<'a> {
    /// `--id`.
    pub id: Option<&'a str>,
    /// `--field COLUMN=ROLE`, in order.
    pub fields: &'a [String],
    /// `--threshold`.
    pub threshold: Option<f64>,
    /// `--rule`, in order.
    pub rules: &'a [String],
    /// `--max-block`.
    pub max_block: Option<usize>,
}

/// Everything a run needs, with where each column came from.
#[derive(Debug)]
pub struct Settings {
    /// The id column and where it was set.
    pub id: (String, Origin),
    /// Where each field of `config.schema` was set, in schema order.
    pub field_origins: Vec<Origin>,
    /// The engine's configuration.
    pub config: Config,
    /// The config file, if any.
    pub file: Option<PathBuf>,
}

/// The config file as written. Unknown keys are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    id: Option<Spanned<String>>,
    threshold: Option<Spanned<f64>>,
    max_block: Option<Spanned<usize>>,
    rules: Option<Spanned<Vec<Spanned<String>>>>,
    fields: Option<Fields>,
}

/// `[fields]`: column = "role", kept in the order of the file.
#[derive(Debug)]
struct Fields(Vec<(String, Spanned<String>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of column = \"role\"")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut out = Vec::new();
                while let Some((column, role)) = map.next_entry::<String, Spanned<String>>()? {
                    out.push((column, role));
                }
                // The parser may hand keys over sorted; the spans give the file's order back.
                out.sort_by_key(|(_, role)| role.span().start);
                Ok(Fields(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn parse_file(path: &Path) -> Result<(FileSettings, String)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    match toml::from_str::<FileSettings>(&text) {
        Ok(settings) => Ok((settings, text)),
        Err(e) => {
            let line = e.span().map(|s| line_of(&text, s.start)).unwrap_or(1);
            bail!("{}:{line}: {}", path.display(), e.message().trim_end())
        }
    }
}

/// Combines the config file (if any) and the flags, flags winning: `--field` and
/// `--rule` replace the file's whole list.
pub fn settings(file: Option<&Path>, flags: &Overrides) -> Result<Settings> {
    let mut id: Option<(String, Origin)> = None;
    let mut fields: Vec<(String, Role, Origin)> = Vec::new();
    let mut threshold = None;
    let mut max_block = None;
    let mut rules: Option<Vec<Rule>> = None;

    if let Some(path) = file {
        let (parsed, text) = parse_file(path)?;
        let at = |offset: usize| format!("{}:{}", path.display(), line_of(&text, offset));
        if let Some(value) = parsed.id {
            let line = line_of(&text, value.span().start);
            id = Some((value.into_inner(), Origin::File { line, key: "id".into() }));
        }
        for (column, name) in parsed.fields.map(|f| f.0).unwrap_or_default() {
            let Some(r) = role(name.get_ref().trim()) else {
                bail!(
                    "{}: fields.{column}: unknown role {:?} (roles: {})",
                    at(name.span().start),
                    name.get_ref(),
                    role_names()
                );
            };
            let line = line_of(&text, name.span().start);
            fields.push((column.trim().to_string(), r, Origin::File { line, key: format!("fields.{column}") }));
        }
        if let Some(list) = parsed.rules {
            if list.get_ref().is_empty() {
                bail!(
                    "{}: rules: an empty list leaves nothing to compare; leave `rules` out for the defaults, or name at least one",
                    at(list.span().start)
                );
            }
            let mut out = Vec::new();
            for name in list.into_inner() {
                let Some(r) = rule(name.get_ref().trim()) else {
                    bail!(
                        "{}: rules: unknown blocking rule {:?} (rules: {})",
                        at(name.span().start),
                        name.get_ref(),
                        rule_names()
                    );
                };
                out.push(r);
            }
            rules = Some(out);
        }
        if let Some(t) = parsed.threshold {
            let value = *t.get_ref();
            if !(value > 0.0 && value < 1.0) {
                bail!("{}: threshold: {value} is not a probability strictly between 0 and 1", at(t.span().start));
            }
            threshold = Some(value);
        }
        if let Some(m) = parsed.max_block {
            if *m.get_ref() < 2 {
                bail!("{}: max_block: {} is below 2, so no block could hold a pair", at(m.span().start), m.get_ref());
            }
            max_block = Some(*m.get_ref());
        }
    }

    if let Some(flag) = flags.id {
        id = Some((flag.to_string(), Origin::Flag(format!("--id {flag}"))));
    }
    if !flags.fields.is_empty() {
        fields.clear();
        for field in flags.fields {
            let Some((column, name)) = field.split_once('=') else {
                bail!("--field {field:?}: write COLUMN=ROLE, e.g. surname=surname");
            };
            let Some(r) = role(name.trim()) else {
                bail!("--field {field:?}: unknown role {name:?} (roles: {})", role_names());
            };
            fields.push((column.trim().to_string(), r, Origin::Flag(format!("--field {field}"))));
        }
    }
    if !flags.rules.is_empty() {
        let mut out = Vec::new();
        for name in flags.rules {
            let r = rule(name.trim())
                .ok_or_else(|| anyhow!("--rule {name:?}: unknown blocking rule (rules: {})", rule_names()))?;
            out.push(r);
        }
        rules = Some(out);
    }
    if let Some(t) = flags.threshold {
        if !(t > 0.0 && t < 1.0) {
            bail!("--threshold {t}: not a probability strictly between 0 and 1");
        }
        threshold = Some(t);
    }
    if let Some(m) = flags.max_block {
        if m < 2 {
            bail!("--max-block {m}: below 2, so no block could hold a pair");
        }
        max_block = Some(m);
    }

    let whence = match file {
        Some(p) => format!("give --id or `id = \"COLUMN\"` in {}", p.display()),
        None => "give --id (or a config file with --config)".to_string(),
    };
    let id = id.ok_or_else(|| anyhow!("no id column: {whence}"))?;
    if fields.is_empty() {
        match file {
            Some(p) => bail!("no fields: give --field COLUMN=ROLE or a [fields] table in {}", p.display()),
            None => bail!("no fields: give --field COLUMN=ROLE (or a config file with --config)"),
        }
    }
    let schema = Schema::new(fields.iter().map(|(c, r, _)| (c.clone(), *r)));
    let mut config = Config::new(schema);
    if let Some(t) = threshold {
        config.threshold = t;
    }
    if let Some(m) = max_block {
        config.max_block = m;
    }
    // Never empty: the file's empty list is refused above, and flags give a list only when repeated.
    if let Some(r) = rules {
        config.rules = r;
    }
    Ok(Settings {
        id,
        field_origins: fields.into_iter().map(|(_, _, o)| o).collect(),
        config,
        file: file.map(Path::to_path_buf),
    })
}

impl Settings {
    /// Checks that every configured column is in the header of `csv`, naming
    /// where a missing one was configured and the columns the file has. A
    /// header that cannot be read is left to the record reader to report.
    pub fn check_header(&self, csv_path: &Path) -> Result<()> {
        let Ok(mut reader) = csv::Reader::from_path(csv_path) else { return Ok(()) };
        let Ok(header) = reader.headers() else { return Ok(()) };
        let columns: Vec<&str> = header.iter().map(str::trim).collect();
        let wanted = std::iter::once((self.id.0.as_str(), &self.id.1))
            .chain(self.config.schema.fields.iter().map(|(c, _)| c.as_str()).zip(&self.field_origins));
        for (column, origin) in wanted {
            if columns.contains(&column) {
                continue;
            }
            let whence = match origin {
                Origin::Flag(flag) => flag.clone(),
                Origin::File { line, key } => {
                    let file = self.file.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
                    format!("{file}:{line}: {key}")
                }
            };
            bail!(
                "{whence}: no column {column:?} in the header of {} (its columns: {})",
                csv_path.display(),
                columns.join(", ")
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_round_trip() {
        for r in Rule::defaults() {
            assert_eq!(rule(&snake(&rule_engine_name(r))), Some(r));
            assert_eq!(rule(&rule_engine_name(r)), Some(r));
        }
        assert_eq!(snake("NameKeyBirthYear"), "name_key_birth_year");
        assert!(rule("nope").is_none());
    }

    /// Config files, right or wrong: each setting present or not, with a
    /// good or a bad value, the fields table last, and now and then a line of
    /// anything at all.
    fn config_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let value = |good: &'static str, bad: &'static str| {
            prop_oneof![good.prop_map(String::from), bad.prop_map(String::from)]
        };
        let setting = |key: &'static str, v: BoxedStrategy<String>| {
            proptest::option::of(v).prop_map(move |v| v.map(|v| format!("{key} = {v}")).unwrap_or_default())
        };
        (
            setting("id", value("\"[a-z_]{1,8}\"", "[0-9]{1,3}|\"\"").boxed()),
            setting("threshold", value("0\\.[1-9]", "-?[0-9]{1,2}(\\.[0-9])?|\"x\"").boxed()),
            setting("max_block", value("[1-9][0-9]{0,3}", "-[0-9]|0\\.5").boxed()),
            setting(
                "rules",
                value("\\[(\"(phone|birth_date|name_key_birth_day)\", ?){0,2}\\]", "\\[\"[a-z_]{0,12}\"\\]|\"phone\"")
                    .boxed(),
            ),
            proptest::collection::vec(
                value(
                    "[a-z]{1,8} = \"(surname|given_name|birth_date|phone)\"",
                    "[a-z]{1,8} = \"[a-z_]{0,10}\"|[a-z]{1,8} = 3",
                ),
                0..4,
            ),
            proptest::option::of(any::<String>()),
        )
            .prop_map(|(id, threshold, max_block, rules, fields, noise)| {
                let mut lines = vec![id, threshold, max_block, rules];
                if !fields.is_empty() {
                    lines.push("[fields]".into());
                    lines.extend(fields);
                }
                lines.extend(noise);
                lines.join("\n")
            })
    }

    proptest::proptest! {
        // Enough cases to reach the deeper checks (an empty rule list behind a
        // good id and fields turns up about once in a few hundred).
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever the file holds, reading it gives settings or an error that
        /// names the file; nothing panics.
        #[test]
        fn any_config_file_gives_settings_or_an_error_naming_the_file(text in config_text()) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("people.toml");
            std::fs::write(&path, &text).unwrap();
            if let Err(e) = settings(Some(&path), &Overrides::default()) {
                let message = format!("{e:#}");
                proptest::prop_assert!(message.contains("people.toml"), "{}", message);
            }
        }
    }

    /// The error of reading a `people.toml` holding `text`, with `flags`.
    fn refusal(text: &str, flags: &Overrides) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.toml");
        std::fs::write(&path, text).unwrap();
        format!("{:#}", settings(Some(&path), flags).unwrap_err())
    }

    #[test]
    fn an_empty_rule_list_is_refused_at_its_line() {
        let message = refusal("id = \"rec\"\nrules = []\n[fields]\nsn = \"surname\"\n", &Overrides::default());
        assert!(message.contains("people.toml:2: rules: an empty list"), "{message}");
    }

    #[test]
    fn a_block_too_small_for_a_pair_is_refused_where_it_was_set() {
        let text = "id = \"rec\"\n\nmax_block = 1\n[fields]\nsn = \"surname\"\n";
        let message = refusal(text, &Overrides::default());
        assert!(message.contains("people.toml:3: max_block: 1 is below 2"), "{message}");
        let flags = Overrides { max_block: Some(0), ..Overrides::default() };
        let message = refusal("id = \"rec\"\n[fields]\nsn = \"surname\"\n", &flags);
        assert!(message.contains("--max-block 0"), "{message}");
    }

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
