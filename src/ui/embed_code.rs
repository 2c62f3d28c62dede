//! The snippets a tutorial author pastes to embed the current session: an
//! `<iframe>` of `embed.html`, or the loader (`embed.js`) with the scenario
//! in `data-script` or in a `<script type="text/plain">` child. Pure text
//! from the script, the site's address and the options, so it is tested
//! natively; the page's builder ([`super::components::embed_builder`]) shows
//! them with a live preview.

use crate::scenario::share;

/// How the embed should look (`embed.html`'s options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedOptions {
    /// Panels by their `panels=` names, in the page's order.
    pub panels: Vec<&'static str>,
    pub step: bool,
    pub read_only: bool,
    /// The iframe's height before it reports its own (px).
    pub height: u32,
}

/// The form of the snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Iframe,
    Loader,
    ScriptChild,
}

impl Form {
    pub const ALL: [Form; 3] = [Form::Iframe, Form::Loader, Form::ScriptChild];

    pub fn label(self) -> &'static str {
        match self {
            Form::Iframe => "iframe",
            Form::Loader => "loader, data-script",
            Form::ScriptChild => "loader, script child",
        }
    }
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities, for an attribute value or
/// text.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `embed.html`'s query for these options (empty when all are defaults).
fn query(o: &EmbedOptions) -> String {
    let mut q = Vec::new();
    if !o.panels.is_empty() {
        q.push(format!("panels={}", o.panels.join("%2C")));
    }
    if o.step {
        q.push("step".to_string());
    }
    if o.read_only {
        q.push("readonly".to_string());
    }
    if q.is_empty() {
        String::new()
    } else {
        format!("?{}", q.join("&"))
    }
}

/// The address of the embed of `script` on the site at `base` (the
/// folder of index.html, ending in `/`).
pub fn embed_url(base: &str, script: &str, o: &EmbedOptions) -> String {
    format!("{base}embed.html{}#{}", query(o), share::encode(script))
}

/// The snippet of `form`, or why that form cannot carry this script.
///
/// # Errors
///
/// A script child cannot hold `</script` (the page's parser would end the
/// element there).
pub fn snippet(form: Form, base: &str, script: &str, o: &EmbedOptions) -> Result<String, String> {
    let title = "Kafka compaction playground";
    let attrs = || {
        let mut a = String::new();
        if !o.panels.is_empty() {
            a.push_str(&format!(" data-panels=\"{}\"", o.panels.join(",")));
        }
        if o.step {
            a.push_str(" data-step");
        }
        if o.read_only {
            a.push_str(" data-readonly");
        }
        a.push_str(&format!(" data-height=\"{}\"", o.height));
        a
    };
    let loader = format!("<script src=\"{}embed.js\" defer></script>", escape(base));
    Ok(match form {
        Form::Iframe => format!(
            "<iframe src=\"{}\" title=\"{title}\" loading=\"lazy\" style=\"width:100%;height:{}px;border:0\"></iframe>",
            escape(&embed_url(base, script, o)),
            o.height
        ),
        Form::Loader => format!(
            "<div class=\"kafka-playground\"{} data-script=\"{}\"></div>\n{loader}",
            attrs(),
            escape(script.trim_end())
        ),
        Form::ScriptChild => {
            if script.to_ascii_lowercase().contains("</script") {
                return Err("This script contains `</script`, which a script child cannot hold: use the iframe or data-script form.".to_string());
            }
            let body: String = script.trim_end().lines().map(|l| format!("  {l}\n")).collect();
            format!(
                "<div class=\"kafka-playground\"{}>\n<script type=\"text/plain\">\n{body}</script>\n</div>\n{loader}",
                attrs()
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> EmbedOptions {
        EmbedOptions {
            panels: vec!["producer", "log"],
            step: true,
            read_only: false,
            height: 600,
        }
    }

    #[test]
    fn the_three_forms_carry_the_script_and_the_options() {
        let script = "topic t cleanup.policy=compact\nproduce t k:{\"a\":\"<b>&'\"}\n";
        let base = "https://example.org/kcp/";
        assert_eq!(
            snippet(Form::Iframe, base, script, &opts()).unwrap(),
            format!(
                "<iframe src=\"https://example.org/kcp/embed.html?panels=producer%2Clog&amp;step#{}\" title=\"Kafka compaction playground\" loading=\"lazy\" style=\"width:100%;height:600px;border:0\"></iframe>",
                share::encode(script).replace('&', "&amp;")
            )
        );
        assert_eq!(
            snippet(Form::Loader, base, script, &opts()).unwrap(),
            "<div class=\"kafka-playground\" data-panels=\"producer,log\" data-step data-height=\"600\" data-script=\"topic t cleanup.policy=compact\nproduce t k:{&quot;a&quot;:&quot;&lt;b&gt;&amp;&#39;&quot;}\"></div>\n<script src=\"https://example.org/kcp/embed.js\" defer></script>"
        );
        let child = snippet(Form::ScriptChild, base, script, &opts()).unwrap();
        assert!(child.contains("<script type=\"text/plain\">\n  topic t cleanup.policy=compact\n  produce t k:{\"a\":\"<b>&'\"}\n</script>"), "{child}");
        assert!(snippet(Form::ScriptChild, base, "produce t k:</SCRIPT>", &opts()).is_err());
    }

    #[test]
    fn default_options_leave_the_query_out() {
        let o = EmbedOptions {
            panels: vec![],
            step: false,
            read_only: false,
            height: 400,
        };
        assert_eq!(embed_url("./", "topic t\n", &o), "./embed.html#script=topic%20t%0A");
    }
}
