//! The lesson being stepped through: the step's narration (the scenario's
//! comments, with its "Watch for" and other notes), what its lines did,
//! its questions with answers to reveal, and Back / Next / Restart. The
//! full page shows it above the log; an embed in step mode, at its top.

use yew::prelude::*;

use crate::scenario::lesson::{Block, LessonStep};
use crate::ui::describe;
use crate::ui::hooks::{dispatch_on, use_app};
use crate::ui::state::Action;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// An embed: no buttons (the embed's bar has Back, Next step and
    /// Restart), and no "Leave lesson" (the embed is the lesson).
    #[prop_or_default]
    pub embed: bool,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(p: &LessonPanelProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let lesson = &s.lesson;
    let Some(k) = lesson.cursor else { return Html::default() };
    let n = lesson.steps();
    let busy = s.job.is_some();
    // The session is still the lesson's while its lines are the lesson's.
    let ran: Vec<&str> = s.session.entries.iter().map(|e| e.step.text.trim()).collect();
    let diverged = !busy && ran != lesson.lines_run();
    let shown = lesson.current();
    let title = lesson.builtin.map_or("Lesson", |b| b.title);

    let back = dispatch_on(&app, Action::BackLesson);
    let next = dispatch_on(&app, Action::StepLesson);
    let restart = dispatch_on(&app, Action::RestartLesson);
    let leave = dispatch_on(&app, Action::LeaveLesson);

    let changes = if k == 0 || diverged {
        Html::default()
    } else {
        let range = lesson.ran_by_current();
        let done = s.session.entries.get(range).unwrap_or(&[]);
        let items = done.iter().map(|e| {
            html! { <li><code>{ e.step.text.clone() }</code>{ " — " }{ describe::describe_result(e) }</li> }
        });
        if done.is_empty() {
            Html::default()
        } else {
            html! {
                <div class="lesson-changes" data-test-id="lesson-changes">
                    <h3>{ "What this step did" }</h3>
                    <ul>{ for items }</ul>
                </div>
            }
        }
    };
    let up_next = lesson.plan.steps.get(k).filter(|_| k > 0).map(|next| {
        let watch = next.narration.iter().find_map(|b| match b {
            Block::Note { note, text } => Some(format!("{}: {text}", note.label())),
            _ => None,
        });
        watch.map(
            |w| html! { <p class="lesson-next muted small" data-test-id="lesson-up-next">{ "Next step. " }{ w }</p> },
        )
    });
    let position = if k == 0 {
        format!("{n} steps · about {} min", lesson.plan.minutes())
    } else {
        format!("Step {k} of {n}")
    };
    let next_label = match (k, diverged) {
        (0, _) => "Start".to_string(),
        (_, true) => "Next step (replays the lesson)".to_string(),
        _ => "Next step".to_string(),
    };

    html! {
        <section class={classes!("panel", "lesson", p.embed.then_some("lesson-embed"))} id="lesson" aria-labelledby="lesson-h" data-test-id="lesson">
            <div class="panel-head">
                <h2 id="lesson-h">{ title }</h2>
                <span class="panel-sub" data-test-id="lesson-position">{ position }</span>
            </div>
            <div class="lesson-progress" role="progressbar" aria-label="Lesson progress" aria-valuemin="0"
                aria-valuemax={n.to_string()} aria-valuenow={k.to_string()}>
                <span style={format!("width:{}%", (k * 100).checked_div(n).unwrap_or(0))}></span>
            </div>
            if k == 0 {
                if let Some(b) = lesson.builtin {
                    <p class="lesson-teaches"><strong>{ "You'll learn: " }</strong>{ b.teaches }</p>
                }
            }
            if let Some((_, step)) = shown {
                { narration(step, k == 0) }
            }
            if diverged {
                <p class="msg msg-info" data-test-id="lesson-diverged">
                    { "You changed the session since this step. That is fine to explore; Back, Next and Restart replay the lesson, which sets your changes aside (Undo cannot bring them back, but the script editor's text is yours to copy first)." }
                </p>
            }
            { changes }
            if let Some((_, step)) = shown.filter(|_| k > 0) {
                { questions(step) }
            }
            { up_next.flatten().unwrap_or_default() }
            if !p.embed {
            <nav class="lesson-nav" aria-label="Lesson steps">
                <button type="button" class="btn" onclick={back} disabled={k == 0 || busy} data-test-id="lesson-back"
                    aria-keyshortcuts="p" title="Take the last step back (shortcut: p)">{ "← Back" }</button>
                <button type="button" class="btn btn-primary" onclick={next} disabled={k >= n || busy} data-test-id="lesson-next"
                    aria-keyshortcuts="n" title="Run the next step (shortcut: n)">{ format!("{next_label} →") }</button>
                <button type="button" class="btn" onclick={restart} disabled={k == 0 || busy} data-test-id="lesson-restart">{ "Restart" }</button>
                <button type="button" class="btn btn-quiet" onclick={leave} data-test-id="lesson-leave"
                    title="Stop stepping; the session stays as it is">{ "Leave lesson" }</button>
            </nav>
            }
        </section>
    }
}

/// The step's words: text, shell lines and notes. Before the first step
/// runs, they say what it will do ("press Start").
fn narration(step: &LessonStep, before: bool) -> Html {
    let blocks = step.narration.iter().map(|b| match b {
        Block::Text { text } => html! { <p>{ text.clone() }</p> },
        Block::Code { text } => html! { <pre class="lesson-code"><code>{ text.clone() }</code></pre> },
        Block::Note { note, text } => html! {
            <p class={classes!("lesson-note", format!("lesson-note-{}", note.label().to_ascii_lowercase().replace([' ', '\''], "-")))}>
                <strong>{ format!("{}: ", note.label()) }</strong>{ text.clone() }
            </p>
        },
    });
    html! {
        <div class="lesson-narration" data-test-id="lesson-narration" aria-live="polite">
            { for blocks }
            if before && !step.lines.is_empty() {
                <p class="muted small">{ format!("Start runs its first {} line{}.", step.lines.len(), describe::plural(step.lines.len())) }</p>
            }
        </div>
    }
}

/// Questions with their answers behind a disclosure, so a learner can
/// think first.
fn questions(step: &LessonStep) -> Html {
    if step.questions.is_empty() {
        return Html::default();
    }
    let items = step.questions.iter().map(|q| {
        let ask = if q.question.is_empty() { "Answer".to_string() } else { q.question.clone() };
        html! {
            <details class="lesson-question" data-test-id="lesson-question">
                <summary>{ ask }</summary>
                <p>{ if q.answer.is_empty() { "(no answer given: try it in the playground)".to_string() } else { q.answer.clone() } }</p>
            </details>
        }
    });
    html! { <div class="lesson-questions"><h3>{ "Think about it" }</h3>{ for items }</div> }
}
