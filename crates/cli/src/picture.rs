//! `tessera picture`: the threat picture. `show` aggregates the intelligence
//! the acting user may see (`tessera_picture`, docs/picture.md), audited as
//! `read_picture`. `context` is the picture's external context: it reads
//! the FRONTEX monthly detections of illegal border-crossings and prints,
//! per route, the total, trend, seasonality, change points, shifts of share
//! between routes and the nationality mix, as text, JSON or long-format CSV
//! (`route,section,period,item,value`). See docs/series.md.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use tessera_picture::{Dimension, Options as PictureOptions, PeriodKind, Picture};
use tessera_series::Month;
use tessera_series::changepoint::{self, CostModel, Direction, Penalty};
use tessera_series::frontex::{self, Context, ContextOptions, RouteContext};
use tessera_series::shares::ShareShift;
use tessera_store::{AuditEvent, SqliteStore, Store};

/// Subcommands of `tessera picture`.
#[derive(Debug, Subcommand)]
pub enum PictureCommand {
    /// FRONTEX detections of illegal border-crossings as context: per route the total, trend, seasonality,
    /// change points (PELT), shifts of share between routes and the nationality mix.
    Context(ContextArgs),
    /// The threat picture from the intelligence you may see: reports by stream, route, country, nationality,
    /// modus operandi and period with their confidence and agencies, monthly trends and change points, and the
    /// organised crime groups ranked. Partner liaison officers' pictures are sanitised (docs/picture.md).
    Show(ShowArgs),
    /// The threat assessment paper for the meeting, from the picture you may see: HTML, PDF and CSV files,
    /// marked with the highest classification behind them. Audited as read_picture and export_report.
    Report(ReportArgs),
}

/// Flags of `tessera picture report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Act as this user of the data directory (default: the local operator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// First report date included (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last report date included.
    #[arg(long)]
    pub until: Option<String>,
    /// Sanitise counts as for partners.
    #[arg(long)]
    pub sanitise: bool,
    /// Write the paper as HTML here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write the paper as PDF here.
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    /// Write its figures as CSV here.
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

/// Flags of `tessera picture show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Act as this user of the data directory (default: the local operator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// Aggregate by these dimensions only, repeated or comma-separated
    /// (default: all of them), as the API's `by` does.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub by: Vec<ByArg>,
    /// Break figures down by month or by quarter.
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    pub period: PeriodArg,
    /// First report date included (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last report date included (YYYY, YYYY-MM or YYYY-MM-DD; a month or year includes all of it).
    #[arg(long)]
    pub until: Option<String>,
    /// Sanitise counts as for partners (always on for partner liaison officers).
    #[arg(long)]
    pub sanitise: bool,
    /// Organised crime groups listed, highest priority first.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(0..=100))]
    pub groups: u16,
    /// Output layout (--json is the same as --format json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A dimension of the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// Stream codes (facilitation by air, land, sea; clandestine entry; false documentation; abuse of legitimate entry).
    Stream,
    /// Routes.
    Route,
    /// Countries named.
    Country,
    /// Nationalities of the people mentioned.
    Nationality,
    /// Modus operandi.
    Mo,
}

/// The period of the breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
}

/// Flags of `tessera picture context`.
#[derive(Debug, Args)]
pub struct ContextArgs {
    /// Folder holding frontex_ibc_monthly_by_route.csv and frontex_ibc_monthly_by_route_nationality.csv.
    #[arg(long, default_value = "../shared/data/frontex")]
    pub data_dir: PathBuf,
    /// Only this route, as FRONTEX names it (for example "Central Mediterranean Route").
    #[arg(long)]
    pub route: Option<String>,
    /// First month analysed (YYYY-MM).
    #[arg(long)]
    pub from: Option<Month>,
    /// Last month analysed (YYYY-MM).
    #[arg(long)]
    pub until: Option<Month>,
    /// Output layout (--json is the same as --format json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Nationalities listed per route and year.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// Penalty per change point: BIC (2 ln n) or MBIC (3 ln n), times the noise variance.
    #[arg(long, value_enum, default_value_t = PenaltyArg::Bic)]
    pub penalty: PenaltyArg,
    /// Shortest segment between change points, in months.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=120))]
    pub min_segment: u16,
    /// Segment the counts as they are, without taking the seasonal profile off first.
    #[arg(long)]
    pub no_seasonal_adjust: bool,
}

/// Output layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable summary.
    Text,
    /// The whole context as one JSON document.
    Json,
    /// Long format: route,section,period,item,value.
    Csv,
}

/// Penalty rule.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PenaltyArg {
    /// Bayesian information criterion, 2 ln n per change.
    Bic,
    /// Modified BIC (Zhang & Siegmund), 3 ln n per change.
    Mbic,
}

/// Runs a `tessera picture` command; `data` is the store's directory (for `show`).
pub fn run(
    data: &std::path::Path,
    frontex_dir: &std::path::Path,
    command: PictureCommand,
    json: bool,
) -> Result<ExitCode> {
    match command {
        PictureCommand::Context(args) => context(args, json),
        PictureCommand::Show(args) => show(data, args, json),
        PictureCommand::Report(args) => report(data, frontex_dir, args),
    }
}

fn context(args: ContextArgs, json: bool) -> Result<ExitCode> {
    if let (Some(from), Some(until)) = (args.from, args.until)
        && from > until
    {
        bail!("--from {from} is after --until {until}");
    }
    let data = frontex::load(&args.data_dir)
        .with_context(|| format!("reading the FRONTEX data in {}", args.data_dir.display()))?;
    let options = ContextOptions {
        route: args.route.clone(),
        from: args.from,
        until: args.until,
        change_points: changepoint::Options {
            cost: CostModel::NormalLog1p,
            penalty: match args.penalty {
                PenaltyArg::Bic => Penalty::Bic,
                PenaltyArg::Mbic => Penalty::Mbic,
            },
            min_segment: usize::from(args.min_segment),
            seasonal_adjust: !args.no_seasonal_adjust,
        },
        top: args.top,
        shifts: 10,
    };
    let context = frontex::context(&data, &options)?;
    let format = if json { Format::Json } else { args.format };
    let out = match format {
        Format::Json => serde_json::to_string_pretty(&context)? + "\n",
        Format::Text => text(&context)?,
        Format::Csv => csv_rows(&context)?,
    };
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        // A reader that stops early (`| head`) is not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(change: Option<f64>) -> String {
    change.map_or_else(String::new, |c| format!(" ({:+.0}%)", c * 100.0))
}

fn text(context: &Context) -> Result<String> {
    let mut out = String::new();
    let span = context.span.map_or_else(|| "no months".to_string(), |(a, b)| format!("{a}..{b}"));
    writeln!(
        out,
        "FRONTEX detections of illegal border-crossings (source: Frontex), {span}: {} on all routes",
        thousands(context.total)
    )?;
    for route in &context.routes {
        route_text(&mut out, route)?;
    }
    for (label, shifts) in [("year on year", &context.yearly_shifts), ("quarter on quarter", &context.quarterly_shifts)]
    {
        writeln!(out, "\nLargest shifts of share between routes, {label}:")?;
        if shifts.is_empty() {
            writeln!(out, "  none (fewer than two complete periods)")?;
        }
        for shift in shifts.iter() {
            writeln!(out, "  {}", shift_text(shift))?;
        }
    }
    Ok(out)
}

fn shift_text(s: &ShareShift) -> String {
    format!(
        "{} {}→{}: {:.1}% → {:.1}% ({:+.1} points)",
        s.key,
        s.from,
        s.to,
        s.share_before * 100.0,
        s.share_after * 100.0,
        s.change * 100.0
    )
}

fn route_text(out: &mut String, route: &RouteContext) -> Result<()> {
    writeln!(out, "\n{}: {} detections", route.route, thousands(route.total))?;
    let years: Vec<String> = route
        .trend
        .years
        .iter()
        .map(|y| {
            let part = if y.months < 12 { format!(" [{} months]", y.months) } else { String::new() };
            format!("{} {}{}{}", y.year, thousands(y.total), part, percent(y.change))
        })
        .collect();
    writeln!(out, "  by year: {}", years.join(", "))?;
    if let Some(recent) = &route.trend.last_twelve_months {
        writeln!(
            out,
            "  last 12 months to {}: {}{} on the 12 before",
            recent.until,
            thousands(recent.latest),
            percent(recent.change)
        )?;
    }
    match &route.seasonality {
        Some(s) => {
            let factors: Vec<String> = s.factors.iter().zip(MONTHS).map(|(f, m)| format!("{m} {f:.2}")).collect();
            writeln!(
                out,
                "  seasonality: {} ({:.2}), peak {}, trough {} over {} years; {}",
                format!("{:?}", s.band).to_lowercase(),
                s.strength,
                MONTHS[s.peak as usize - 1],
                MONTHS[s.trough as usize - 1],
                s.years.len(),
                factors.join(" ")
            )?;
        }
        None => writeln!(out, "  seasonality: too few full years with detections")?,
    }
    let cp = &route.change_points;
    let adjusted = if cp.seasonally_adjusted { ", seasons removed" } else { "" };
    writeln!(
        out,
        "  change points (PELT, penalty {:.2} per change, σ {:.3}, segments of {}+ months{adjusted}):{}",
        cp.penalty,
        cp.sigma.unwrap_or(0.0),
        cp.options.min_segment,
        if cp.breaks.is_empty() { " none" } else { "" }
    )?;
    for b in &cp.breaks {
        let way = match b.direction {
            Direction::Up => "up",
            Direction::Down => "down",
        };
        writeln!(
            out,
            "    {} {way}: {} → {} a month (size {:+.2})",
            b.month,
            thousands(b.level_before.round() as u64),
            thousands(b.level_after.round() as u64),
            b.size
        )?;
    }
    writeln!(out, "  nationality mix:")?;
    for year in &route.nationality_mix {
        if year.total == 0 {
            continue;
        }
        let top: Vec<String> = year.top.iter().map(|p| format!("{} {:.0}%", p.part, p.share * 100.0)).collect();
        let grew = year
            .grew_most
            .as_ref()
            .map_or_else(String::new, |g| format!("; grew most: {} (+{})", g.part, thousands(g.change.max(0) as u64)));
        writeln!(out, "    {}: {}{grew}", year.year, top.join(", "))?;
    }
    Ok(())
}

fn csv_rows(context: &Context) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["route", "section", "period", "item", "value"])?;
    let mut row = |route: &str, section: &str, period: &str, item: &str, value: String| {
        w.write_record([route, section, period, item, value.as_str()])
    };
    for r in &context.routes {
        let name = r.route.as_str();
        row(name, "total", "", "detections", r.total.to_string())?;
        for y in &r.trend.years {
            let year = y.year.to_string();
            row(name, "year", &year, "detections", y.total.to_string())?;
            row(name, "year", &year, "months", y.months.to_string())?;
            if let Some(change) = y.change {
                row(name, "year", &year, "change", format!("{change:.6}"))?;
            }
        }
        for (i, ma) in r.trend.moving_average.iter().enumerate() {
            if let Some(ma) = ma {
                row(name, "trend", &r.trend.start.plus(i as i32).to_string(), "moving_average", format!("{ma:.3}"))?;
            }
        }
        if let Some(s) = &r.seasonality {
            for (month, factor) in s.factors.iter().enumerate() {
                row(name, "seasonality", &format!("{:02}", month + 1), "factor", format!("{factor:.4}"))?;
            }
            row(name, "seasonality", "", "strength", format!("{:.4}", s.strength))?;
            row(name, "seasonality", "", "peak", s.peak.to_string())?;
            row(name, "seasonality", "", "trough", s.trough.to_string())?;
        }
        for b in &r.change_points.breaks {
            let month = b.month.to_string();
            row(name, "change_point", &month, "level_before", format!("{:.1}", b.level_before))?;
            row(name, "change_point", &month, "level_after", format!("{:.1}", b.level_after))?;
            row(name, "change_point", &month, "size", format!("{:.4}", b.size))?;
        }
        for y in &r.nationality_mix {
            let year = y.year.to_string();
            for p in &y.top {
                row(name, "nationality", &year, &p.part, format!("{:.4}", p.share))?;
            }
            if let Some(g) = &y.grew_most {
                row(name, "nationality_growth", &year, &g.part, g.change.to_string())?;
            }
        }
    }
    for period in &context.yearly_shares {
        for s in &period.shares {
            row(&s.key, "share", &period.period, "share", format!("{:.6}", s.share))?;
        }
    }
    for (section, shifts) in
        [("share_shift_year", &context.yearly_shifts), ("share_shift_quarter", &context.quarterly_shifts)]
    {
        for s in shifts.iter() {
            row(&s.key, section, &format!("{}..{}", s.from, s.to), "change", format!("{:.6}", s.change))?;
        }
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?)?)
}

/// `tessera picture report`.
fn report(data: &std::path::Path, frontex_dir: &std::path::Path, args: ReportArgs) -> Result<ExitCode> {
    if args.html.is_none() && args.pdf.is_none() && args.csv.is_none() {
        bail!("say where to write the paper: --html FILE, --pdf FILE and/or --csv FILE");
    }
    let operator = tessera_access::Viewer::local_operator();
    let viewer = crate::entities::acting_viewer(data, args.as_user.as_deref(), &operator)?;
    let options = PictureOptions {
        from: args.from.clone(),
        until: args.until.clone(),
        sanitise: args.sanitise,
        ..PictureOptions::default()
    };
    let store = SqliteStore::open(data)?;
    let detail = format!(
        "report from={} until={} sanitise={}",
        options.from.as_deref().unwrap_or(""),
        options.until.as_deref().unwrap_or(""),
        options.sanitise
    );
    store.audit(&viewer, &AuditEvent::new("read_picture", detail))?;
    let picture = tessera_picture::build(&store, &viewer, &options)?;
    let context = match frontex::load(frontex_dir) {
        Ok(data) => tessera_picture::context::for_picture(&data, &picture),
        Err(e) => {
            eprintln!("no FRONTEX context in the paper: {e}");
            Vec::new()
        }
    };
    let document = tessera_picture::documents::threat_assessment(
        &picture,
        &tessera_picture::documents::Prepared::for_viewer(&viewer),
        tessera_server::report_world(),
        &context,
    );
    if let Some(path) = &args.html {
        crate::review::write_paper(&store, &viewer, path, tessera_report::html::render(&document).as_bytes())?;
    }
    if let Some(path) = &args.pdf {
        crate::review::write_paper(&store, &viewer, path, &tessera_report::pdf::render(&document))?;
    }
    if let Some(path) = &args.csv {
        let csv = tessera_picture::documents::picture_csv(&picture);
        crate::review::write_paper(&store, &viewer, path, csv.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `tessera picture show`.
fn show(data: &std::path::Path, args: ShowArgs, json: bool) -> Result<ExitCode> {
    let operator = tessera_access::Viewer::local_operator();
    let viewer = crate::entities::acting_viewer(data, args.as_user.as_deref(), &operator)?;
    let mut by = Vec::new();
    for b in &args.by {
        let d = match b {
            ByArg::Stream => Dimension::Stream,
            ByArg::Route => Dimension::Route,
            ByArg::Country => Dimension::Country,
            ByArg::Nationality => Dimension::Nationality,
            ByArg::Mo => Dimension::Mo,
        };
        if !by.contains(&d) {
            by.push(d);
        }
    }
    let options = PictureOptions {
        by,
        period: match args.period {
            PeriodArg::Month => PeriodKind::Month,
            PeriodArg::Quarter => PeriodKind::Quarter,
        },
        from: args.from.clone(),
        until: args.until.clone(),
        sanitise: args.sanitise,
        groups: usize::from(args.groups),
    };
    let store = SqliteStore::open(data)?;
    store.audit(&viewer, &AuditEvent::new("read_picture", options.audit_detail()))?;
    let picture = tessera_picture::build(&store, &viewer, &options)?;
    let format = if json { Format::Json } else { args.format };
    let out = match format {
        Format::Json => serde_json::to_string_pretty(&picture)? + "\n",
        Format::Text => picture_text(&picture)?,
        Format::Csv => tessera_picture::documents::picture_csv(&picture),
    };
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn picture_text(p: &Picture) -> Result<String> {
    let mut out = String::new();
    let span = match (&p.from, &p.until) {
        (None, None) => String::new(),
        (f, u) => format!(" dated {}..{}", f.as_deref().unwrap_or(""), u.as_deref().unwrap_or("")),
    };
    writeln!(out, "Threat picture: {} reports from {} agencies{span}", p.reports.text(), p.agencies)?;
    if let Some(method) = &p.method {
        writeln!(out, "Sanitised: {method}")?;
    }
    for section in &p.sections {
        writeln!(out, "\nBy {}:", section.by)?;
        writeln!(out, "  {:<54} {:>8} {:>9} {:>9} {:>10}", "", "reports", "entities", "agencies", "confidence")?;
        for f in &section.figures {
            let label = if f.label == f.key { f.key.clone() } else { format!("{} ({})", f.label, f.key) };
            writeln!(
                out,
                "  {:<54} {:>8} {:>9} {:>9} {:>10.2}",
                label,
                f.reports.text(),
                f.entities.text(),
                f.agencies,
                f.confidence
            )?;
        }
        if section.figures.is_empty() {
            writeln!(out, "  nothing to show")?;
        }
        if section.withheld > 0 {
            writeln!(out, "  {} withheld (reported by fewer than two agencies)", section.withheld)?;
        }
    }
    if !p.series.is_empty() {
        writeln!(out, "\nChange points (monthly reports, PELT):")?;
        for s in &p.series {
            let changes: Vec<String> = s
                .changes
                .iter()
                .map(|c| match (c.level_before, c.level_after) {
                    (Some(a), Some(b)) => format!("{} {:?} ({a:.1} → {b:.1} a month)", c.month, c.direction),
                    _ => format!("{} {:?}", c.month, c.direction),
                })
                .collect();
            let trend = s
                .last_twelve_months_change
                .map_or_else(String::new, |c| format!("; last 12 months {:+.0}%", c * 100.0));
            let changes = if changes.is_empty() { "none".to_string() } else { changes.join(", ") };
            writeln!(out, "  {} {}: {changes}{trend}", s.by, s.key)?;
        }
    }
    if !p.groups.is_empty() {
        writeln!(out, "\nOrganised crime groups:")?;
        for g in &p.groups {
            writeln!(
                out,
                "  {:>2}. {} [{}] priority {} ({:?}), confidence {}, members {}",
                g.rank,
                g.name,
                g.id,
                g.priority,
                g.band,
                g.confidence,
                g.members.text()
            )?;
        }
    }
    Ok(out)
}
