//! Settings for what a reader sees around a post: the copyright box, the 备案 line Chinese
//! hosts require, and a comments widget for new readers. All off unless site.yaml sets them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `copyright:` — the 版权声明 box at the end of every post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Copyright {
    /// The licence's name, e.g. `CC BY-NC-SA 4.0`.
    pub license: String,
    /// Where the licence is explained.
    pub license_url: String,
}

/// `beian:` — the ICP and 公安 registration numbers shown in every page's footer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Beian {
    /// e.g. `京ICP备12345678号-1`, linked to beian.miit.gov.cn as the rules ask.
    pub icp: String,
    /// e.g. `京公网安备 11010502030000号`.
    pub police: String,
    /// The 公安 record's page (its number is in the URL, so it is given whole).
    pub police_url: String,
}

/// `comments:` — a comment service's widget under each post, loaded when the reader scrolls
/// to it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Comments {
    pub provider: Provider,
    /// The widget's script, if not the provider's usual address (a mirror closer to readers).
    #[serde(default)]
    pub script: Option<String>,
    /// The provider's own settings, by the names its documentation gives: giscus's data-
    /// attributes (`repo`, `repo-id`, `category`, `category-id` …), Waline's `server-url`,
    /// Twikoo's `env-id`.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Giscus,
    Waline,
    Twikoo,
}

impl Provider {
    /// The options a widget cannot work without.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Provider::Giscus => &["repo", "repo-id", "category", "category-id"],
            Provider::Waline => &["server-url"],
            Provider::Twikoo => &["env-id"],
        }
    }

    pub fn default_script(self) -> &'static str {
        match self {
            Provider::Giscus => "https://giscus.app/client.js",
            Provider::Waline => "https://unpkg.com/@waline/client@v3/dist/waline.js",
            Provider::Twikoo => "https://cdn.jsdelivr.net/npm/twikoo@1.6.44/dist/twikoo.all.min.js",
        }
    }

    /// A stylesheet the widget needs beside its script.
    pub fn style(self) -> Option<&'static str> {
        match self {
            Provider::Waline => Some("https://unpkg.com/@waline/client@v3/dist/waline.css"),
            _ => None,
        }
    }
}

/// What templates see of `comments:`: the script to load and its options, as data- attributes.
#[derive(Debug, Clone, Serialize)]
pub struct CommentsView<'a> {
    pub provider: Provider,
    pub script: &'a str,
    pub style: Option<&'static str>,
    pub options: &'a BTreeMap<String, String>,
}

impl Comments {
    /// The first required option that is missing, if any.
    pub fn missing(&self) -> Option<&'static str> {
        self.provider
            .required()
            .iter()
            .find(|k| self.options.get(**k).is_none_or(|v| v.trim().is_empty()))
            .copied()
    }

    pub fn view(&self) -> CommentsView<'_> {
        CommentsView {
            provider: self.provider,
            script: self
                .script
                .as_deref()
                .unwrap_or(self.provider.default_script()),
            style: self.provider.style(),
            options: &self.options,
        }
    }
}
