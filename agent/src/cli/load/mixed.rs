//! The mixed phase of `pstral bench load`: analysts ask questions one after the other (each waits for its answer
//! before asking again, as a person does) while other clients hammer a cheap endpoint. It measures what the
//! separate phases cannot: the cheap endpoints' latency while the model queue is full, the memory over time, and
//! whether the queue is fair — every analyst served as often as the others, and nobody overtaken in the line.
//! With `--greedy N`, one more analyst sends N questions at once, and N more when they are all answered (a script,
//! many tabs): the queue serves users in turn, so the others' wait should not grow with N.

use std::time::{Duration, Instant};

use futures_util::StreamExt;

use super::hammer;
use crate::cli::bench::{memory_kib, percentile};

/// One question of the mixed phase.
#[derive(Debug, Clone)]
struct Asked {
    analyst: usize,
    sent: Instant,
    first_token: Option<Instant>,
    done: bool,
    /// Refused at once: the user had the most questions in flight.
    refused: bool,
}

/// The analyst who sends many questions at once: a token and how many per burst.
pub(super) struct Greedy {
    pub token: String,
    pub burst: usize,
}

/// Runs the mixed phase for `seconds` with one token per analyst in `tokens` (and a greedy one); prints its figures
/// and returns the summary line's part.
pub(super) async fn run(
    client: &reqwest::Client,
    base: &str,
    admin_token: &str,
    tokens: &[String],
    greedy: Option<Greedy>,
    connections: usize,
    seconds: u64,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::new();
        while Instant::now() < deadline {
            samples.push(memory_kib().0 / 1024);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        samples
    });
    let analysts: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(analyst, token)| {
            let (client, url, token) = (client.clone(), format!("{base}/api/v1/chat"), token.clone());
            tokio::spawn(async move {
                let mut asked = Vec::new();
                while Instant::now() < deadline {
                    asked.push(ask(&client, &url, &token, analyst, asked.len()).await);
                }
                asked
            })
        })
        .collect();
    let greedy = greedy.map(|Greedy { token, burst }| {
        let (client, url, analyst) = (client.clone(), format!("{base}/api/v1/chat"), tokens.len());
        let task = tokio::spawn(async move {
            let mut asked = Vec::new();
            while Instant::now() < deadline {
                let first = asked.len();
                let burst_asked = (first..first + burst).map(|ordinal| ask(&client, &url, &token, analyst, ordinal));
                asked.extend(futures_util::future::join_all(burst_asked).await);
            }
            asked
        });
        (burst, task)
    });
    let cheap = "/api/v1/auth/me";
    let (rate, p50, p99, errors) = hammer(client, base, cheap, admin_token, connections, seconds).await;
    let mut asked = Vec::new();
    for analyst in analysts {
        asked.extend(analyst.await.unwrap_or_default());
    }
    let greedy = match greedy {
        Some((burst, task)) => Some((burst, task.await.unwrap_or_default())),
        None => None,
    };
    let rss = sampler.await.unwrap_or_default();

    let done = asked.iter().filter(|question| question.done).count();
    let waits = waits_of(&asked);
    let seconds_of = |duration: Duration| duration.as_secs_f64();
    let per_analyst: Vec<f64> = (0..tokens.len())
        .map(|analyst| asked.iter().filter(|question| question.analyst == analyst && question.done).count() as f64)
        .collect();
    let (overtaken, pairs) = overtakes(&asked);
    let (start, end, high) = (
        rss.first().copied().unwrap_or_default(),
        rss.last().copied().unwrap_or_default(),
        rss.iter().copied().max().unwrap_or_default(),
    );
    let every_5s: Vec<String> = rss.iter().step_by(5).map(ToString::to_string).collect();
    println!(
        "mixed ({seconds} s): {} analysts asking one question after the other + {connections} connections on {cheap}",
        tokens.len()
    );
    println!("  {cheap} meanwhile: {rate:.0} req/s, p50 {p50:.2} ms, p99 {p99:.2} ms, {errors} errors");
    println!(
        "  questions: {} asked, {done} done, {} failed; wait for the first token p50 {:.2} s, p99 {:.2} s, max {:.2} s",
        asked.len(),
        asked.len() - done,
        seconds_of(percentile(&waits, 50)),
        seconds_of(percentile(&waits, 99)),
        seconds_of(waits.last().copied().unwrap_or_default()),
    );
    println!(
        "  fairness: Jain index {:.3} over answers per analyst (min {}, max {}); {overtaken} of {pairs} question pairs overtaken in the queue",
        jain(&per_analyst),
        per_analyst.iter().copied().fold(f64::INFINITY, f64::min),
        per_analyst.iter().copied().fold(0.0, f64::max),
    );
    let mut greedy_part = String::new();
    if let Some((burst, greedy)) = &greedy {
        let greedy_waits = waits_of(greedy);
        let greedy_done = greedy.iter().filter(|question| question.done).count();
        let refused = greedy.iter().filter(|question| question.refused).count();
        println!(
            "  greedy analyst ({burst} questions at once, again when all are answered): {} asked, {greedy_done} done, {refused} refused at once (too_many_questions); wait for the first token p50 {:.2} s, max {:.2} s",
            greedy.len(),
            seconds_of(percentile(&greedy_waits, 50)),
            seconds_of(greedy_waits.last().copied().unwrap_or_default()),
        );
        greedy_part = format!(
            ", others' wait p50 {:.2} s p99 {:.2} s beside a greedy analyst ({burst} at once, {greedy_done} done, {refused} refused)",
            seconds_of(percentile(&waits, 50)),
            seconds_of(percentile(&waits, 99)),
        );
    }
    println!("  RSS MB every 5 s: {}; start {start}, end {end}, peak {high}", every_5s.join(" "));
    format!(
        "mixed: {rate:.0} req/s p99 {p99:.1} ms beside {done} answers, Jain {:.3}, {overtaken} overtakes{greedy_part}, RSS {start}→{end} MB",
        jain(&per_analyst)
    )
}

/// Seconds each answered question waited for its first token, sorted.
fn waits_of(asked: &[Asked]) -> Vec<Duration> {
    let mut waits: Vec<Duration> =
        asked.iter().filter_map(|question| question.first_token.map(|first| first - question.sent)).collect();
    waits.sort();
    waits
}

/// Asks one question and reads its stream to the end.
async fn ask(client: &reqwest::Client, url: &str, token: &str, analyst: usize, ordinal: usize) -> Asked {
    let body =
        serde_json::json!({"question": format!("Combien de clients ? (analyste {analyst}, question {ordinal})")});
    let mut asked = Asked { analyst, sent: Instant::now(), first_token: None, done: false, refused: false };
    let Ok(response) = client.post(url).bearer_auth(token).json(&body).send().await else { return asked };
    if !response.status().is_success() {
        return asked;
    }
    let mut text = String::new();
    let mut stream = response.bytes_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk));
        if asked.first_token.is_none() && text.contains("\"type\":\"token\"") {
            asked.first_token = Some(Instant::now());
        }
    }
    asked.done = text.contains("\"type\":\"done\"");
    asked.refused = text.contains("\"code\":\"too_many_questions\"");
    asked
}

/// Counts question pairs where the one sent clearly later (by more than 50 ms) got its first token first, of the
/// pairs sent that far apart that both got one.
fn overtakes(asked: &[Asked]) -> (usize, usize) {
    let served: Vec<(Instant, Instant)> =
        asked.iter().filter_map(|question| question.first_token.map(|first| (question.sent, first))).collect();
    let margin = Duration::from_millis(50);
    let (mut overtaken, mut pairs) = (0, 0);
    for (sent, first) in &served {
        for (other_sent, other_first) in &served {
            if *other_sent > *sent + margin {
                pairs += 1;
                overtaken += usize::from(other_first < first);
            }
        }
    }
    (overtaken, pairs)
}

/// Jain's fairness index: 1 when every share is equal, 1/n when one gets everything.
fn jain(shares: &[f64]) -> f64 {
    let sum: f64 = shares.iter().sum();
    let squares: f64 = shares.iter().map(|share| share * share).sum();
    if squares == 0.0 { 0.0 } else { sum * sum / (shares.len() as f64 * squares) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jain_is_one_for_equal_shares_and_one_over_n_for_a_monopoly() {
        assert!((jain(&[3.0, 3.0, 3.0]) - 1.0).abs() < 1e-9);
        assert!((jain(&[6.0, 0.0, 0.0]) - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_later_question_served_first_is_an_overtake() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let question = |sent, first| Asked {
            analyst: 0,
            sent: at(sent),
            first_token: Some(at(first)),
            done: true,
            refused: false,
        };
        let fifo = [question(0, 1_000), question(100, 2_000), question(200, 3_000)];
        assert_eq!(overtakes(&fifo), (0, 3));
        let jumped = [question(0, 3_000), question(100, 2_000)];
        assert_eq!(overtakes(&jumped), (1, 1));
    }
}
