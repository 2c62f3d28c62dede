//! "Embed this session": the snippet a tutorial author pastes into a page
//! (an iframe, or the loader with the scenario in `data-script` or in a
//! script child; [`crate::ui::embed_code`]), with the embed's options and a
//! live preview of exactly what the snippet shows.

use yew::prelude::*;

use crate::ui::browser;
use crate::ui::embed::{DEFAULT_PANELS, PANELS};
use crate::ui::embed_code::{embed_url, snippet, EmbedOptions, Form};
use crate::ui::hooks::use_app;

#[function_component(EmbedBuilder)]
pub fn embed_builder() -> Html {
    let open = use_state(|| false);
    let panels = use_state(|| DEFAULT_PANELS.to_vec());
    let step = use_state(|| false);
    let read_only = use_state(|| false);
    let form = use_state(|| Form::Iframe);
    let copied = use_state(|| None::<bool>);
    let Some(app) = use_app() else { return Html::default() };
    let script = app.state().session.script();
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let d: web_sys::HtmlElement = e.target_unchecked_into();
            open.set(d.has_attribute("open"));
        })
    };
    let body = if *open {
        let o = EmbedOptions {
            panels: PANELS.iter().copied().filter(|p| panels.contains(p)).collect(),
            step: *step,
            read_only: *read_only,
            height: 600,
        };
        let base = browser::site_base().unwrap_or_else(|| "./".to_string());
        let text = snippet(*form, &base, &script, &o);
        let preview = embed_url("./", &script, &o);
        let boxes = PANELS.iter().filter(|p| **p != "status").map(|&name| {
            let checked = panels.contains(&name);
            let onchange = {
                let panels = panels.clone();
                Callback::from(move |_: Event| {
                    let mut next: Vec<&'static str> = (*panels).clone();
                    if checked {
                        next.retain(|p| *p != name);
                    } else {
                        next.push(name);
                    }
                    panels.set(next);
                })
            };
            html! { <label class="check"><input type="checkbox" {checked} {onchange} data-test-id={format!("embed-panel-{name}")} />{ name }</label> }
        });
        let flag = |h: &UseStateHandle<bool>| {
            let h = h.clone();
            Callback::from(move |_: Event| h.set(!*h))
        };
        let forms = Form::ALL.iter().map(|&f| {
            let onchange = {
                let form = form.clone();
                Callback::from(move |_: Event| form.set(f))
            };
            html! { <label class="check"><input type="radio" name="embed-form" checked={*form == f} {onchange} />{ f.label() }</label> }
        });
        let copy = {
            let (copied, text) = (copied.clone(), text.clone());
            Callback::from(move |_: MouseEvent| {
                if let Ok(t) = &text {
                    copied.set(Some(browser::copy_to_clipboard(t)));
                }
            })
        };
        html! {
            <div class="embed-builder">
                <fieldset class="embed-opts"><legend>{ "Panels" }</legend>{ for boxes }</fieldset>
                <fieldset class="embed-opts"><legend>{ "Options" }</legend>
                    <label class="check"><input type="checkbox" checked={*step} onchange={flag(&step)} data-test-id="embed-step" />{ "step through (a lesson)" }</label>
                    <label class="check"><input type="checkbox" checked={*read_only} onchange={flag(&read_only)} data-test-id="embed-readonly" />{ "read-only" }</label>
                </fieldset>
                <fieldset class="embed-opts"><legend>{ "Form" }</legend>{ for forms }</fieldset>
                { match &text {
                    Ok(t) => html! {
                        <>
                            <textarea class="input mono embed-code" readonly=true rows="5" value={t.clone()} aria-label="The embed code" data-test-id="embed-code"></textarea>
                            <p>
                                <button type="button" class="btn btn-small" onclick={copy} data-test-id="embed-copy">{ "Copy" }</button>
                                { match *copied {
                                    Some(true) => " Copied.",
                                    Some(false) => " This browser offers no clipboard here: select the text and copy it.",
                                    None => "",
                                } }
                            </p>
                        </>
                    },
                    Err(why) => html! { <p class="msg msg-error" data-test-id="embed-code-error">{ why.clone() }</p> },
                } }
                <p class="small muted">{ "Preview: the embed as the snippet shows it." }</p>
                <iframe class="embed-preview" src={preview} title="Preview of the embed" data-test-id="embed-preview" loading="lazy"></iframe>
            </div>
        }
    } else {
        Html::default()
    };
    html! {
        <details class="panel panel-fold" id="embed-builder" ontoggle={ontoggle} data-test-id="embed-builder">
            <summary><h2>{ "Embed this session in a tutorial" }</h2></summary>
            { body }
        </details>
    }
}
