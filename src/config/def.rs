//! The definition machinery of configs: one row per key, as Kafka's
//! `ConfigDef.define(name, type, default, validator, importance, doc)`.
//!
//! Models Kafka's `ConfigDef`: the `Type`s, `parseType` (Java `String.trim`,
//! `Long.parseLong`, `Integer.parseInt`, `Double.parseDouble`, comma lists),
//! and the validators (`Range.atLeast`, `Range.between`, `ValidString.in`,
//! `ValidList.in`), each of which prints its own range the way Kafka's
//! `toString` does (`[14,...]`, `[0,...,1]`, `[compact, delete]`), so that the
//! range the UI shows and the bound an error names cannot drift apart.
//!
//! Unlike Kafka, a row also says how to read and write its field of a typed
//! struct (`TopicConfig`, `BrokerConfig`), which the engine reads instead of
//! a map of parsed values; [`config_struct!`] declares the struct and its
//! rows together, so that adding a key is one entry. Importance, groups and
//! dependents are left out: nothing here displays them.

use std::fmt;

use serde::Serialize;

use super::java_number::{java_double_to_string, java_parse_double, java_parse_integer};
use crate::error::{InvalidConfig, InvalidValueReason};

/// `ConfigDef.Type` (the ones the playground's keys use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    List,
    Double,
    Long,
    Int,
    String,
    Boolean,
}

impl Type {
    /// The name in Kafka's docs and in the editor (`int`).
    fn name(self) -> &'static str {
        match self {
            Type::List => "list",
            Type::Double => "double",
            Type::Long => "long",
            Type::Int => "int",
            Type::String => "string",
            Type::Boolean => "boolean",
        }
    }

    /// The enum constant's name, as in "Not a number of type LONG".
    fn java_name(self) -> &'static str {
        match self {
            Type::List => "LIST",
            Type::Double => "DOUBLE",
            Type::Long => "LONG",
            Type::Int => "INT",
            Type::String => "STRING",
            Type::Boolean => "BOOLEAN",
        }
    }
}

/// A parsed value (`ConfigDef.parseType`'s result).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    List(Vec<String>),
    Double(f64),
    Long(i64),
    Int(i32),
    Str(String),
    Bool(bool),
}

impl Value {
    /// The number a `Range` compares (Java `Number.doubleValue`).
    fn number(&self) -> Option<f64> {
        match self {
            Value::Double(v) => Some(*v),
            Value::Long(v) => Some(*v as f64),
            Value::Int(v) => Some(f64::from(*v)),
            Value::List(_) | Value::Str(_) | Value::Bool(_) => None,
        }
    }
}

impl fmt::Display for Value {
    /// The value as Java's `toString` prints it (in `ConfigException`s), and
    /// as `kafka-configs --describe` prints an effective value: integers
    /// plainly, doubles like Java (`0.5`), lists comma-joined
    /// (`compact,delete`), booleans `true`/`false`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::List(items) => f.write_str(&items.join(",")),
            Value::Double(v) => f.write_str(&java_double_to_string(*v)),
            Value::Long(v) => write!(f, "{v}"),
            Value::Int(v) => write!(f, "{v}"),
            Value::Str(s) => f.write_str(s),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// A `ConfigDef` validator. `Display` is the valid range in the notation of
/// Kafka's docs, as Kafka's validators print it (empty for no validator).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Validator {
    /// No validator.
    None,
    /// `Range.atLeast(min)`: `[min,...]`.
    AtLeast(i64),
    /// `Range.between(min, max)`: `[min,...,max]`.
    Between(i64, i64),
    /// Playground rule, not in Kafka: above the first bound, at most the
    /// second: `(min,...,max]`.
    AboveAtMost(i64, i64),
    /// `ValidString.in(...)`, case-sensitive: `[a, b]`.
    OneOf(&'static [&'static str]),
    /// `ValidList.in(...)`: every element `ValidString.in(...)`; `[a, b]`.
    ListOf(&'static [&'static str]),
}

impl Validator {
    /// Kafka's `ensureValid`, on a parsed value of the key `name`.
    ///
    /// The value is printed by Java's `toString` (`0.0` for a double zero);
    /// a list prints the element that failed, as `ValidString` does.
    pub(crate) fn ensure_valid(self, name: &'static str, value: &Value) -> Result<(), InvalidConfig> {
        let failure = match (self, value) {
            (Validator::OneOf(allowed), Value::Str(s)) => not_one_of(s, allowed),
            // Kafka 4.0: ValidList.ensureValid checks each element with
            // ValidString (duplicates and an empty list are allowed).
            (Validator::ListOf(allowed), Value::List(items)) => items.iter().find_map(|s| not_one_of(s, allowed)),
            (Validator::None | Validator::OneOf(_) | Validator::ListOf(_), _) => None,
            (range, _) => value
                .number()
                .and_then(|n| range.out_of_range(n))
                .map(|reason| (value.to_string(), reason)),
        };
        match failure {
            None => Ok(()),
            Some((shown, reason)) => Err(InvalidConfig::Value {
                name,
                value: shown,
                reason,
            }),
        }
    }

    /// `Range.ensureValid`: compares as doubles, so NaN passes (as in Java)
    /// except where the playground's own rule refuses it.
    fn out_of_range(self, n: f64) -> Option<InvalidValueReason> {
        match self {
            Validator::AtLeast(min) => below(n, min),
            Validator::Between(min, max) => below(n, min).or_else(|| above(n, max)),
            // The one key with this rule (the load factor) has no use for
            // NaN: no key would fit in the offset map.
            Validator::AboveAtMost(bound, _) if n.is_nan() || n <= bound as f64 => {
                Some(InvalidValueReason::GreaterThan { bound })
            }
            Validator::AboveAtMost(_, max) => above(n, max),
            Validator::None | Validator::OneOf(_) | Validator::ListOf(_) => None,
        }
    }
}

/// `Range.ensureValid`'s lower check.
fn below(n: f64, min: i64) -> Option<InvalidValueReason> {
    (n < min as f64).then_some(InvalidValueReason::AtLeast { min })
}

/// `Range.ensureValid`'s upper check.
fn above(n: f64, max: i64) -> Option<InvalidValueReason> {
    (n > max as f64).then_some(InvalidValueReason::NoMoreThan { max })
}

/// `ValidString.ensureValid`: the refused string and why.
fn not_one_of(s: &str, allowed: &'static [&'static str]) -> Option<(String, InvalidValueReason)> {
    (!allowed.contains(&s)).then(|| (s.to_string(), InvalidValueReason::OneOf { allowed }))
}

impl fmt::Display for Validator {
    /// Kafka's `Range.toString` / `ValidString.toString` /
    /// `ValidList.toString`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Validator::None => Ok(()),
            Validator::AtLeast(min) => write!(f, "[{min},...]"),
            Validator::Between(min, max) => write!(f, "[{min},...,{max}]"),
            Validator::AboveAtMost(bound, max) => write!(f, "({bound},...,{max}]"),
            Validator::OneOf(allowed) | Validator::ListOf(allowed) => write!(f, "[{}]", allowed.join(", ")),
        }
    }
}

/// Kafka `ConfigException(name, value, message)`.
fn invalid(name: &'static str, value: impl fmt::Display, reason: InvalidValueReason) -> InvalidConfig {
    InvalidConfig::Value {
        name,
        value: value.to_string(),
        reason,
    }
}

/// A field type of a config struct: which `ConfigDef.Type` it is and how it
/// converts from and to a parsed [`Value`].
pub(crate) trait FieldValue: Sized {
    /// The key's `ConfigDef.Type`.
    const TYPE: Type;

    /// The value as `kafka-configs --describe` would print it.
    fn to_value(&self) -> Value;

    /// The field from a value its validator accepted; `None` for a value of
    /// another type (which a validated value never is).
    fn from_value(value: Value) -> Option<Self>;
}

/// The numeric and boolean field types: each is one `Value` variant.
macro_rules! plain_field_values {
    ($($field:ty => $type:ident, $variant:ident;)*) => {
        $(
            impl FieldValue for $field {
                const TYPE: Type = Type::$type;
                fn to_value(&self) -> Value {
                    Value::$variant(*self)
                }
                fn from_value(value: Value) -> Option<Self> {
                    match value {
                        Value::$variant(v) => Some(v),
                        _ => None,
                    }
                }
            }
        )*
    };
}

plain_field_values! {
    i32 => Int, Int;
    i64 => Long, Long;
    f64 => Double, Double;
    bool => Boolean, Bool;
}

/// A STRING config whose values are the Kafka names of an enum
/// (`message.timestamp.type`, `compression.type`).
pub(crate) trait Choice: Copy + 'static {
    /// Every value, in Kafka's declaration order.
    const ALL: &'static [Self];

    /// Kafka's name of the value.
    fn kafka_name(self) -> &'static str;
}

impl<T: Choice> FieldValue for T {
    const TYPE: Type = Type::String;
    fn to_value(&self) -> Value {
        Value::Str(self.kafka_name().to_string())
    }
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Str(s) => T::ALL.iter().copied().find(|c| c.kafka_name() == s),
            _ => None,
        }
    }
}

/// One `ConfigDef.define` call, plus how to read and write the key's field of
/// the config struct `C`, and the editor's documentation.
pub(crate) struct ConfigDef<C> {
    /// The Kafka name (`segment.bytes`).
    pub(crate) name: &'static str,
    /// The `ConfigDef.Type`, that of the field.
    pub(crate) ty: Type,
    /// Reads the field.
    pub(crate) get: fn(&C) -> Value,
    /// Writes the field from a validated value.
    pub(crate) set: fn(&mut C, Value),
    pub(crate) validator: Validator,
    /// What the setting does, for compaction, in a sentence or two.
    pub(crate) doc: &'static str,
    /// False for keys that are accepted and validated but not simulated.
    pub(crate) modelled: bool,
    /// Where the playground or Kafka versions differ, in a sentence.
    pub(crate) note: Option<&'static str>,
}

impl<C> ConfigDef<C> {
    /// Kafka `ConfigDef.parseType` followed by the key's validator.
    pub(crate) fn parse(&self, raw: &str) -> Result<Value, InvalidConfig> {
        // Kafka: ConfigDef.parseType trims every String value (Java String.trim).
        let trimmed = java_trim(raw);
        let not_a = |ty: Type| {
            invalid(
                self.name,
                trimmed,
                InvalidValueReason::NotANumber {
                    type_name: ty.java_name(),
                },
            )
        };
        let value = match self.ty {
            // Kafka: Long.parseLong; NumberFormatException -> "Not a number of type LONG".
            Type::Long => Value::Long(java_parse_integer(trimmed).ok_or_else(|| not_a(Type::Long))?),
            // Kafka: Integer.parseInt (overflow is a NumberFormatException too).
            Type::Int => Value::Int(java_parse_integer(trimmed).ok_or_else(|| not_a(Type::Int))?),
            // Kafka: Double.parseDouble.
            Type::Double => Value::Double(java_parse_double(trimmed).ok_or_else(|| not_a(Type::Double))?),
            // Kafka: ConfigDef BOOLEAN accepts true/false in any case.
            Type::Boolean => {
                if trimmed.eq_ignore_ascii_case("true") {
                    Value::Bool(true)
                } else if trimmed.eq_ignore_ascii_case("false") {
                    Value::Bool(false)
                } else {
                    return Err(invalid(self.name, trimmed, InvalidValueReason::NotABoolean));
                }
            }
            Type::String => Value::Str(trimmed.to_string()),
            Type::List => Value::List(parse_list(trimmed)),
        };
        self.validator.ensure_valid(self.name, &value)?;
        Ok(value)
    }

    /// The editor's row for this key, its default read from `defaults`.
    fn key(&self, defaults: &C) -> ConfigKey {
        ConfigKey {
            name: self.name,
            kind: self.ty.name(),
            default: (self.get)(defaults).to_string(),
            valid_values: self.validator.to_string(),
            doc: self.doc,
            modelled: self.modelled,
            note: self.note,
        }
    }
}

/// The row of `name`, if `defs` has one.
pub(crate) fn find<C>(defs: &'static [ConfigDef<C>], name: &str) -> Option<&'static ConfigDef<C>> {
    defs.iter().find(|d| d.name == name)
}

/// Parses and stores the raw value of every key `raw_of` gives one for, in
/// definition order (so that the first error is the one `ConfigDef.parse`
/// would report).
pub(crate) fn parse_into<'a, C>(
    defs: &[ConfigDef<C>],
    config: &mut C,
    raw_of: impl Fn(&str) -> Option<&'a str>,
) -> Result<(), InvalidConfig> {
    for def in defs {
        if let Some(raw) = raw_of(def.name) {
            (def.set)(config, def.parse(raw)?);
        }
    }
    Ok(())
}

/// Every key of `config` as (name, value), in alphabetical order of name,
/// values printed as `kafka-configs --describe` prints them.
pub(crate) fn entries<C>(defs: &[ConfigDef<C>], config: &C) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = defs.iter().map(|d| (d.name, (d.get)(config).to_string())).collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// The editor's rows, in alphabetical order of name.
pub(crate) fn keys<C>(defs: &[ConfigDef<C>], defaults: &C) -> Vec<ConfigKey> {
    let mut keys: Vec<ConfigKey> = defs.iter().map(|d| d.key(defaults)).collect();
    keys.sort_by(|a, b| a.name.cmp(b.name));
    keys
}

/// Metadata for the UI's config editor: one row per config key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigKey {
    /// The Kafka name (`segment.bytes`).
    pub name: &'static str,
    /// The `ConfigDef` type: `list`, `double`, `long`, `int`, `string` or
    /// `boolean`.
    pub kind: &'static str,
    /// The default as Kafka would print it (topic keys: under a default
    /// broker).
    pub default: String,
    /// The valid values in the notation of Kafka's docs (`[0,...,1]`,
    /// `[14,...]`, `[compact, delete]`), printed by the key's validator;
    /// empty when any value of the type goes.
    pub valid_values: String,
    /// What the setting does, for compaction, in a sentence or two.
    pub doc: &'static str,
    /// True when the playground simulates its effect; false for keys that
    /// are only accepted and validated.
    pub modelled: bool,
    /// Where the playground or Kafka versions differ, in a sentence.
    pub note: Option<&'static str>,
}

/// Java `String.trim()`: strips every char `<= U+0020` at both ends (ASCII
/// controls and the space), and no other whitespace.
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Kafka `ConfigDef.parseType` for a LIST: an empty (trimmed) string is the
/// empty list; otherwise split on `\s*,\s*`, keeping empty elements.
fn parse_list(trimmed: &str) -> Vec<String> {
    if trimmed.is_empty() {
        return Vec::new();
    }
    // Java regex \s is [ \t\n\x0B\f\r].
    let is_regex_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r');
    trimmed
        .split(',')
        .map(|e| e.trim_matches(is_regex_space).to_string())
        .collect()
}

/// Declares a config struct and its definition table in one go: each entry
/// is a struct field and the `ConfigDef.define` row of its key, in Kafka's
/// definition order, so that a key's name, type (the field's), default,
/// validator, documentation and accessors live in one place.
///
/// Generates the struct, a private `fn defaults(<context>) -> Self` built
/// from the entries' `default` expressions (which may read the context, such
/// as the broker whose synonyms supply topic defaults), and a `const` table
/// of [`ConfigDef`] rows.
macro_rules! config_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident;
        fn defaults($($ctx:ident: $ctx_ty:ty)?);
        const $defs:ident;
        $(
            $(#[$field_meta:meta])*
            $field:ident: $ty:ty = $key:literal {
                default: $default:expr,
                validator: $validator:expr,
                modelled: $modelled:expr,
                note: $note:expr,
                doc: $doc:expr $(,)?
            }
        ),* $(,)?
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $name {
            /// Every key at its default (the `default` of its row).
            fn defaults($($ctx: $ctx_ty)?) -> Self {
                $name {
                    $($field: $default,)*
                }
            }
        }

        /// The rows, in Kafka's definition order (the order in which
        /// `ConfigDef.parse` validates, so the first error reported is
        /// Kafka's).
        const $defs: &[$crate::config::def::ConfigDef<$name>] = &[
            $(
                $crate::config::def::ConfigDef {
                    name: $key,
                    ty: <$ty as $crate::config::def::FieldValue>::TYPE,
                    get: |c| $crate::config::def::FieldValue::to_value(&c.$field),
                    set: |c, v| {
                        if let Some(v) = $crate::config::def::FieldValue::from_value(v) {
                            c.$field = v;
                        }
                    },
                    validator: $validator,
                    doc: $doc,
                    modelled: $modelled,
                    note: $note,
                },
            )*
        ];
    };
}

pub(crate) use config_struct;

/// Checks a definition table: each key once, and each default (read from
/// `defaults`) parses and validates under its own row, back to itself.
#[cfg(test)]
pub(crate) fn assert_table_is_sound<C>(defs: &[ConfigDef<C>], defaults: &C) {
    let mut names: Vec<&str> = defs.iter().map(|d| d.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), defs.len(), "a key is defined twice");
    for def in defs {
        let default = (def.get)(defaults);
        let parsed = def
            .parse(&default.to_string())
            .unwrap_or_else(|e| panic!("{}: {e}", def.name));
        assert_eq!(parsed, default, "{}", def.name);
        assert_eq!(
            def.ty,
            match default {
                Value::List(_) => Type::List,
                Value::Double(_) => Type::Double,
                Value::Long(_) => Type::Long,
                Value::Int(_) => Type::Int,
                Value::Str(_) => Type::String,
                Value::Bool(_) => Type::Boolean,
            },
            "{}",
            def.name
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_trim_strips_controls_but_not_unicode_spaces() {
        assert_eq!(java_trim(" \t\n\u{1}x y\r\u{0} "), "x y");
        assert_eq!(java_trim("\u{a0}x\u{a0}"), "\u{a0}x\u{a0}");
    }

    #[test]
    fn parse_list_splits_like_kafka() {
        assert_eq!(parse_list(""), Vec::<String>::new());
        assert_eq!(parse_list("compact , delete"), vec!["compact", "delete"]);
        assert_eq!(parse_list("a,,b,"), vec!["a", "", "b", ""]);
        assert_eq!(parse_list("a b,c"), vec!["a b", "c"]);
    }

    #[test]
    fn validators_print_their_range_as_kafka_does() {
        assert_eq!(Validator::None.to_string(), "");
        assert_eq!(Validator::AtLeast(14).to_string(), "[14,...]");
        assert_eq!(Validator::Between(0, 1).to_string(), "[0,...,1]");
        assert_eq!(Validator::AboveAtMost(0, 1).to_string(), "(0,...,1]");
        assert_eq!(Validator::OneOf(&["a", "b"]).to_string(), "[a, b]");
        assert_eq!(
            Validator::ListOf(&["compact", "delete"]).to_string(),
            "[compact, delete]"
        );
    }
}
