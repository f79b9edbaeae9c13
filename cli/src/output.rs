//! Writing results: JSON, NDJSON, CSV and aligned tables, streamed one batch (page) at a time.
//!
//! JSON and NDJSON items are the core's REST objects serialized as they are (REST field names);
//! CSV and tables use the REST field names as column headers. Tables show times as UTC dates.

use std::io::{self, Write};

use serde::Serialize;
use timadmin::{GroupMember, KeyValue, MutedAccount};

use crate::args::Format;

/// The `MuteUntil`/`MutedUntil` value meaning "muted for good".
pub const FOREVER: u64 = 4_294_967_295;

/// Renders a Unix second for people: `2026-11-23 10:00:00Z`; `0` is "-", 4294967295 "forever".
pub fn human_time(secs: u64) -> String {
    match secs {
        0 => "-".to_owned(),
        FOREVER => "forever".to_owned(),
        s => {
            let (y, m, d) = civil_from_days((s / 86_400) as i64);
            let rem = s % 86_400;
            format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
        }
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// One column of a table or CSV rendering of `T`.
pub struct Column<T> {
    /// Header: the REST field name.
    pub name: &'static str,
    /// The cell; `human` selects the table rendering (dates) over the raw CSV one.
    pub cell: fn(&T, bool) -> String,
}

/// A number, or an empty cell when the field was not returned.
fn opt_num(v: Option<u64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// A Unix time: a date for tables, the raw number for CSV, empty when not returned.
fn opt_time(v: Option<u64>, human: bool) -> String {
    match v {
        Some(t) if human => human_time(t),
        other => opt_num(other),
    }
}

/// Custom data as `k=v;k2=v2`.
fn key_values(items: &[KeyValue]) -> String {
    items.iter().map(|kv| format!("{}={}", kv.key, kv.value)).collect::<Vec<_>>().join(";")
}

/// Every member column, in REST order.
pub fn member_columns() -> Vec<Column<GroupMember>> {
    vec![
        Column { name: "Member_Account", cell: |m, _| m.member_account.clone() },
        Column { name: "Role", cell: |m, _| m.role.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default() },
        Column { name: "JoinTime", cell: |m, h| opt_time(m.join_time, h) },
        Column { name: "MsgSeq", cell: |m, _| opt_num(m.msg_seq) },
        Column { name: "MsgFlag", cell: |m, _| m.msg_flag.clone().unwrap_or_default() },
        Column { name: "LastSendMsgTime", cell: |m, h| opt_time(m.last_send_msg_time, h) },
        Column { name: "MuteUntil", cell: |m, h| opt_time(m.mute_until, h) },
        Column { name: "NameCard", cell: |m, _| m.name_card.clone().unwrap_or_default() },
        Column {
            name: "AppMemberDefinedData",
            cell: |m, _| m.app_member_defined_data.as_deref().map(key_values).unwrap_or_default(),
        },
    ]
}

/// The member columns to show: all of them, or `Member_Account` plus the fields asked for (and
/// the custom data when custom keys were asked for).
pub fn select_member_columns(fields: Option<&[String]>, custom_keys: bool) -> Vec<Column<GroupMember>> {
    let Some(fields) = fields.filter(|f| !f.is_empty()) else {
        return member_columns();
    };
    member_columns()
        .into_iter()
        .filter(|c| {
            c.name == "Member_Account"
                || fields.iter().any(|f| f == c.name)
                || (custom_keys && c.name == "AppMemberDefinedData")
        })
        .collect()
}

/// The muted-account columns.
pub fn muted_columns() -> Vec<Column<MutedAccount>> {
    vec![
        Column { name: "Member_Account", cell: |m, _| m.member_account.clone() },
        Column {
            name: "MutedUntil",
            cell: |m, human| if human { human_time(m.muted_until) } else { m.muted_until.to_string() },
        },
    ]
}

/// Quotes a CSV field per RFC 4180 when it holds a comma, quote, CR or LF.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A table cell on one line: control characters are shown escaped.
fn table_cell(s: String) -> String {
    if s.chars().any(char::is_control) {
        s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
    } else {
        s
    }
}

/// Streams items of type `T` in one format. Call [`RecordWriter::batch`] per page and
/// [`RecordWriter::finish`] once; output is flushed after every batch.
pub struct RecordWriter<T, W: Write> {
    out: W,
    format: Format,
    columns: Vec<Column<T>>,
    widths: Vec<usize>,
    started: bool,
    count: u64,
}

impl<T: Serialize, W: Write> RecordWriter<T, W> {
    /// A writer of `columns` (used by table and CSV) in `format` to `out`.
    pub fn new(out: W, format: Format, columns: Vec<Column<T>>) -> Self {
        let widths = columns.iter().map(|c| display_width(c.name)).collect();
        RecordWriter { out, format, columns, widths, started: false, count: 0 }
    }

    /// Items written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// One table line, each cell padded to its column width (the last one not padded).
    fn table_line(&mut self, cells: &[String]) -> io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            line.push_str(cell);
            if i < last {
                let pad = self.widths[i].saturating_sub(display_width(cell)) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }

    /// Writes what precedes the first item (`[`, the CSV header, the table header) once.
    fn start(&mut self, first_rows: &[Vec<String>]) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        match self.format {
            Format::Json => write!(self.out, "[")?,
            Format::Ndjson => {}
            Format::Csv => {
                let header: Vec<String> = self.columns.iter().map(|c| csv_field(c.name)).collect();
                writeln!(self.out, "{}", header.join(","))?;
            }
            Format::Table => {
                self.widen(first_rows);
                let header: Vec<String> = self.columns.iter().map(|c| c.name.to_owned()).collect();
                self.table_line(&header)?;
            }
        }
        Ok(())
    }

    /// Column widths never shrink, so a streamed table stays aligned as far as it can be.
    fn widen(&mut self, rows: &[Vec<String>]) {
        for row in rows {
            for (w, cell) in self.widths.iter_mut().zip(row) {
                *w = (*w).max(display_width(cell));
            }
        }
    }

    /// The cells of `items`, column by column.
    fn rows(&self, items: &[T], human: bool) -> Vec<Vec<String>> {
        items.iter().map(|item| self.columns.iter().map(|c| (c.cell)(item, human)).collect()).collect()
    }

    /// Writes one batch of items and flushes.
    pub fn batch(&mut self, items: &[T]) -> io::Result<()> {
        match self.format {
            Format::Json => {
                self.start(&[])?;
                for item in items {
                    let sep = if self.count == 0 { "\n" } else { ",\n" };
                    self.out.write_all(sep.as_bytes())?;
                    serde_json::to_writer(&mut self.out, item)?;
                    self.count += 1;
                }
            }
            Format::Ndjson => {
                for item in items {
                    serde_json::to_writer(&mut self.out, item)?;
                    self.out.write_all(b"\n")?;
                    self.count += 1;
                }
            }
            Format::Csv => {
                self.start(&[])?;
                for row in self.rows(items, false) {
                    let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
                    writeln!(self.out, "{}", cells.join(","))?;
                    self.count += 1;
                }
            }
            Format::Table => {
                let rows: Vec<Vec<String>> =
                    self.rows(items, true).into_iter().map(|r| r.into_iter().map(table_cell).collect()).collect();
                self.start(&rows)?;
                self.widen(&rows);
                for row in &rows {
                    self.table_line(row)?;
                    self.count += 1;
                }
            }
        }
        self.out.flush()
    }

    /// Ends the output (closes the JSON array; prints the header of an empty table or CSV).
    pub fn finish(mut self) -> io::Result<()> {
        self.start(&[])?;
        if self.format == Format::Json {
            let end = if self.count == 0 { "]\n" } else { "\n]\n" };
            self.out.write_all(end.as_bytes())?;
        }
        self.out.flush()
    }
}

/// Terminal columns a cell takes: CJK and other wide characters count twice.
fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use timadmin::Role;

    #[test]
    fn dates() {
        assert_eq!(human_time(0), "-");
        assert_eq!(human_time(FOREVER), "forever");
        assert_eq!(human_time(1), "1970-01-01 00:00:01Z");
        assert_eq!(human_time(951_782_400), "2000-02-29 00:00:00Z");
        assert_eq!(human_time(1_425_976_500), "2015-03-10 08:35:00Z");
        assert_eq!(human_time(1_795_428_000), "2026-11-23 10:00:00Z");
        assert_eq!(human_time(4_102_444_800), "2100-01-01 00:00:00Z");
        assert_eq!(human_time(FOREVER - 1), "2106-02-07 06:28:14Z");
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    fn member(account: &str, card: &str) -> GroupMember {
        GroupMember {
            member_account: account.into(),
            role: Some(Role::Admin),
            join_time: Some(1_425_976_500),
            mute_until: Some(0),
            name_card: Some(card.into()),
            app_member_defined_data: Some(vec![
                KeyValue { key: "k".into(), value: "v".into() },
                KeyValue { key: "k2".into(), value: "v2".into() },
            ]),
            ..Default::default()
        }
    }

    fn render<T: Serialize>(format: Format, batches: &[Vec<T>], columns: Vec<Column<T>>) -> String {
        let mut buf = Vec::new();
        let mut w = RecordWriter::new(&mut buf, format, columns);
        for b in batches {
            w.batch(b).unwrap();
        }
        w.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn json_is_one_array_across_batches() {
        let out = render(Format::Json, &[vec![member("a", "A")], vec![], vec![member("b", "B")]], member_columns());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
        assert_eq!(v[1]["Member_Account"], "b");
        assert_eq!(v[0]["AppMemberDefinedData"][1]["Key"], "k2");
        assert_eq!(render::<GroupMember>(Format::Json, &[], member_columns()), "[]\n");
    }

    #[test]
    fn table_and_csv_cells() {
        let cols = select_member_columns(Some(&["NameCard".to_owned(), "JoinTime".to_owned()]), true);
        let names: Vec<_> = cols.iter().map(|c| c.name).collect();
        assert_eq!(names, ["Member_Account", "JoinTime", "NameCard", "AppMemberDefinedData"]);
        let out = render(Format::Csv, &[vec![member("a", "x,y")]], cols);
        assert_eq!(out, "Member_Account,JoinTime,NameCard,AppMemberDefinedData\na,1425976500,\"x,y\",k=v;k2=v2\n");
        let out = render(Format::Table, &[vec![member("alice", "line\nbreak")]], member_columns());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].contains("2015-03-10 08:35:00Z"), "{out}");
        assert!(lines[1].contains("line\\nbreak"), "{out}");
        // Columns line up: each header starts where its cells start.
        let col = lines[0].find("JoinTime").unwrap();
        assert_eq!(&lines[1][col..col + 10], "2015-03-10");
        assert_eq!(render::<MutedAccount>(Format::Table, &[], muted_columns()), "Member_Account  MutedUntil\n");
    }

    #[test]
    fn wide_characters_keep_table_columns_aligned() {
        let cols = select_member_columns(Some(&["NameCard".to_owned(), "JoinTime".to_owned()]), false);
        let out = render(Format::Table, &[vec![member("群主", "x"), member("ab", "y")]], cols);
        let lines: Vec<&str> = out.lines().collect();
        // "群主" is 2 characters but 4 terminal columns, like "abcd": the next column starts at
        // the same display column on every line.
        let col_of = |line: &str, needle: &str| display_width(&line[..line.find(needle).unwrap()]);
        assert_eq!(col_of(lines[1], "2015"), col_of(lines[2], "2015"), "{out}");
        assert_eq!(col_of(lines[0], "JoinTime"), col_of(lines[1], "2015"), "{out}");
    }
}
