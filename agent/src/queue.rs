//! The LLM queue: the model is the scarce resource (one CPU box answers one question at a time), so generations
//! beyond `PSTRAL_LLM_CONCURRENCY` wait here and are told their position as it moves.
//!
//! Users are served in turn, not first come first served: a freed slot goes to the waiting user served least
//! recently (one never served first; between equals, the earlier ticket). An analyst who sends twenty questions at
//! once therefore makes the others wait for one answer, not for twenty, and nobody starves: a user served goes
//! behind everyone who waits. A question holds a [`Seat`] from its start to its end (its repairs included); a user
//! may hold at most `PSTRAL_MAX_QUESTIONS_PER_USER` seats, and one more question is refused at once. Positions are
//! the order the slots will really be given in, so a waiter's position can grow when another user arrives. A waiter
//! whose client left gives its place up at once.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

use schemas::ChatEvent;
use tokio::sync::mpsc::Sender;
use tokio::sync::watch;

/// The queue in front of the LLM.
#[derive(Debug)]
pub struct LlmQueue {
    state: Mutex<State>,
    /// Bumped whenever a slot is given or a waiter leaves: waiters look again.
    moved: watch::Sender<u64>,
    /// Questions a user may have in flight (0: no cap).
    per_user: usize,
}

#[derive(Debug, Default)]
struct State {
    /// Slots nobody holds or has been given.
    free: usize,
    next_ticket: u64,
    /// Grants so far: a user's `last_served` is the number of its latest.
    grants: u64,
    /// Waiting tickets (in arrival order) and their user.
    waiting: BTreeMap<u64, String>,
    /// Tickets given a slot their waiter has not taken yet.
    granted: HashSet<u64>,
    users: HashMap<String, UserTurns>,
}

#[derive(Debug, Default)]
struct UserTurns {
    /// Questions holding a seat.
    in_flight: usize,
    /// Number of the user's latest grant (0: never served).
    last_served: u64,
}

/// A question refused at once: its user already has this many questions in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyQuestions {
    /// The cap (`PSTRAL_MAX_QUESTIONS_PER_USER`).
    pub limit: usize,
}

/// Where a ticket stands.
enum Standing {
    Granted,
    Waiting(usize),
}

impl State {
    /// Waiting tickets in the order slots will go to them: repeatedly the first ticket of the user served least
    /// recently (as if each pick served its user now).
    fn order(&self) -> Vec<u64> {
        let mut by_user: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for (ticket, user) in &self.waiting {
            by_user.entry(user.as_str()).or_default().push(*ticket);
        }
        let mut turns: Vec<(u64, &str, VecDeque<u64>)> = by_user
            .into_iter()
            .map(|(user, tickets)| {
                let served = self.users.get(user).map_or(0, |turns| turns.last_served);
                (served, user, tickets.into())
            })
            .collect();
        let mut order = Vec::with_capacity(self.waiting.len());
        let mut virtual_grant = self.grants;
        while let Some(next) = turns
            .iter_mut()
            .filter(|(_, _, tickets)| !tickets.is_empty())
            .min_by_key(|(served, _, tickets)| (*served, tickets.front().copied()))
        {
            order.extend(next.2.pop_front());
            virtual_grant += 1;
            next.0 = virtual_grant;
        }
        order
    }

    /// The first of [`State::order`], without ordering the rest: the earliest ticket of the user served least
    /// recently (tickets iterate in arrival order, so a user's earliest comes first).
    fn next_in_line(&self) -> Option<u64> {
        self.waiting
            .iter()
            .min_by_key(|(ticket, user)| (self.users.get(*user).map_or(0, |turns| turns.last_served), **ticket))
            .map(|(ticket, _)| *ticket)
    }

    /// Gives the free slots to the next waiters.
    fn grant(&mut self) {
        while self.free > 0 {
            let Some(ticket) = self.next_in_line() else { break };
            let Some(user) = self.waiting.remove(&ticket) else { break };
            self.free -= 1;
            self.served(&user);
            self.granted.insert(ticket);
        }
    }

    fn served(&mut self, user: &str) {
        self.grants += 1;
        let grants = self.grants;
        self.users.entry(user.to_owned()).or_default().last_served = grants;
    }

    fn standing(&self, ticket: u64) -> Standing {
        if self.granted.contains(&ticket) {
            return Standing::Granted;
        }
        let position = self.order().iter().position(|waiting| *waiting == ticket).map_or(1, |index| index + 1);
        Standing::Waiting(position)
    }
}

impl LlmQueue {
    /// A queue letting `concurrency` generations run at once (at least one), with at most `per_user` questions in
    /// flight per user (0: no cap).
    pub fn new(concurrency: usize, per_user: usize) -> Self {
        Self {
            state: Mutex::new(State { free: concurrency.max(1), ..State::default() }),
            moved: watch::channel(0).0,
            per_user,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is a few counters and sets, consistent after every statement: a panic elsewhere does not
        // spoil it.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn changed(&self) {
        self.moved.send_modify(|version| *version += 1);
    }

    /// Returns how many generations wait.
    pub fn depth(&self) -> usize {
        self.state().waiting.len()
    }

    /// Seats a new question of `user`, or refuses it when the user already has the most questions in flight.
    pub fn enter(&self, user: &str) -> Result<Seat<'_>, TooManyQuestions> {
        let mut state = self.state();
        let turns = state.users.entry(user.to_owned()).or_default();
        if self.per_user > 0 && turns.in_flight >= self.per_user {
            return Err(TooManyQuestions { limit: self.per_user });
        }
        turns.in_flight += 1;
        Ok(Seat { queue: self, user: user.to_owned() })
    }
}

/// A question in flight; leaving (drop) frees its place under the per-user cap.
#[derive(Debug)]
pub struct Seat<'a> {
    queue: &'a LlmQueue,
    user: String,
}

impl Drop for Seat<'_> {
    fn drop(&mut self) {
        let mut state = self.queue.state();
        if let Some(turns) = state.users.get_mut(&self.user) {
            turns.in_flight = turns.in_flight.saturating_sub(1);
        }
    }
}

/// A slot of the model, held while one generation runs; dropping it gives it to the next waiter.
#[derive(Debug)]
pub struct Slot<'a> {
    queue: &'a LlmQueue,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut state = self.queue.state();
        state.free += 1;
        state.grant();
        drop(state);
        self.queue.changed();
    }
}

/// A place in the line; leaving (drop) gives it up, and gives on a slot granted but not taken.
struct Ticket<'a> {
    queue: &'a LlmQueue,
    number: u64,
    taken: bool,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.taken {
            return;
        }
        let mut state = self.queue.state();
        state.waiting.remove(&self.number);
        if state.granted.remove(&self.number) {
            state.free += 1;
            state.grant();
        }
        drop(state);
        self.queue.changed();
    }
}

impl<'a> Seat<'a> {
    /// Waits for a slot for one generation, sending `queued` events with the position (1 = next) whenever it
    /// changes; gives up with `None` when the client is gone (`events` closed).
    pub async fn slot(&self, events: &Sender<ChatEvent>) -> Option<Slot<'a>> {
        let queue = self.queue;
        let number = {
            let mut state = queue.state();
            if state.free > 0 && state.waiting.is_empty() {
                state.free -= 1;
                state.served(&self.user);
                return Some(Slot { queue });
            }
            let number = state.next_ticket;
            state.next_ticket += 1;
            state.waiting.insert(number, self.user.clone());
            number
        };
        let mut ticket = Ticket { queue, number, taken: false };
        let mut moved = queue.moved.subscribe();
        queue.changed();
        let mut last_position = 0;
        loop {
            let standing = {
                let mut state = queue.state();
                let standing = state.standing(number);
                if matches!(standing, Standing::Granted) {
                    state.granted.remove(&number);
                }
                standing
            };
            match standing {
                Standing::Granted => {
                    ticket.taken = true;
                    return Some(Slot { queue });
                }
                Standing::Waiting(position) if position != last_position => {
                    events.send(ChatEvent::Queued { position }).await.ok()?;
                    last_position = position;
                }
                Standing::Waiting(_) => {}
            }
            tokio::select! {
                _ = moved.changed() => {}
                () = events.closed() => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::sync::mpsc;
    use tokio::task::JoinHandle;

    use super::*;

    fn positions(receiver: &mut mpsc::Receiver<ChatEvent>) -> Vec<usize> {
        let mut seen = Vec::new();
        while let Ok(event) = receiver.try_recv() {
            if let ChatEvent::Queued { position } = event {
                seen.push(position);
            }
        }
        seen
    }

    /// A question of `user` waiting for a slot in a task: it returns its name once served, and holds the slot
    /// until `release` is dropped or sent to.
    struct Waiter {
        served: mpsc::Receiver<&'static str>,
        release: Option<tokio::sync::oneshot::Sender<()>>,
        events: mpsc::Receiver<ChatEvent>,
        task: JoinHandle<bool>,
    }

    async fn wait_in_line(queue: &Arc<LlmQueue>, user: &'static str, name: &'static str) -> Waiter {
        let (served_tx, served) = mpsc::channel(1);
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let (events_tx, events) = mpsc::channel(64);
        let queue = Arc::clone(queue);
        let task = tokio::spawn(async move {
            let Ok(seat) = queue.enter(user) else { return false };
            let Some(slot) = seat.slot(&events_tx).await else { return false };
            served_tx.send(name).await.ok();
            released.await.ok();
            drop(slot);
            true
        });
        tokio::time::sleep(Duration::from_millis(30)).await;
        Waiter { served, release: Some(release), events, task }
    }

    async fn serve(waiter: &mut Waiter) -> &'static str {
        tokio::time::timeout(Duration::from_secs(5), waiter.served.recv()).await.ok().flatten().unwrap_or("nobody")
    }

    async fn release(waiter: &mut Waiter) {
        waiter.release.take().map(|release| release.send(()));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }

    #[tokio::test]
    async fn one_users_waiters_are_served_in_order_and_see_their_position_move() {
        let queue = Arc::new(LlmQueue::new(1, 0));
        let mut first = wait_in_line(&queue, "ana", "first").await;
        assert_eq!(serve(&mut first).await, "first");
        let mut second = wait_in_line(&queue, "ana", "second").await;
        let mut third = wait_in_line(&queue, "ana", "third").await;
        assert_eq!(queue.depth(), 2);
        release(&mut first).await;
        assert_eq!(serve(&mut second).await, "second");
        release(&mut second).await;
        assert_eq!(serve(&mut third).await, "third");
        release(&mut third).await;
        assert_eq!(positions(&mut second.events), vec![1]);
        assert_eq!(positions(&mut third.events), vec![2, 1]);
        assert_eq!(queue.depth(), 0);
    }

    #[tokio::test]
    async fn a_user_with_many_questions_waiting_makes_another_wait_for_one_answer_not_all() {
        let queue = Arc::new(LlmQueue::new(1, 0));
        let mut running = wait_in_line(&queue, "greedy", "greedy 1").await;
        assert_eq!(serve(&mut running).await, "greedy 1");
        let mut greedy = Vec::new();
        for name in ["greedy 2", "greedy 3", "greedy 4"] {
            greedy.push(wait_in_line(&queue, "greedy", name).await);
        }
        let mut other = wait_in_line(&queue, "other", "other").await;
        // Arrived last, but its user has not been served: next in line, and the greedy waiters moved back.
        assert_eq!(positions(&mut other.events), vec![1]);
        assert_eq!(positions(&mut greedy[0].events), vec![1, 2]);
        release(&mut running).await;
        assert_eq!(serve(&mut other).await, "other");
        release(&mut other).await;
        for (waiter, name) in greedy.iter_mut().zip(["greedy 2", "greedy 3", "greedy 4"]) {
            assert_eq!(serve(waiter).await, name);
            release(waiter).await;
        }
    }

    #[tokio::test]
    async fn a_user_served_goes_behind_everyone_who_waits_so_nobody_starves() {
        let queue = Arc::new(LlmQueue::new(1, 0));
        let mut running = wait_in_line(&queue, "bea", "bea 1").await;
        assert_eq!(serve(&mut running).await, "bea 1");
        let mut ana = wait_in_line(&queue, "ana", "ana 1").await;
        let mut bea = wait_in_line(&queue, "bea", "bea 2").await;
        release(&mut running).await;
        assert_eq!(serve(&mut ana).await, "ana 1");
        // Ana asks again while Bea waits: Bea was served before Ana, so she goes first.
        let mut ana_again = wait_in_line(&queue, "ana", "ana 2").await;
        release(&mut ana).await;
        assert_eq!(serve(&mut bea).await, "bea 2");
        release(&mut bea).await;
        assert_eq!(serve(&mut ana_again).await, "ana 2");
        release(&mut ana_again).await;
    }

    #[test]
    fn a_question_beyond_the_users_cap_is_refused_at_once_and_a_finished_one_frees_its_place() {
        let queue = LlmQueue::new(1, 2);
        let first = queue.enter("ana").expect("first question");
        let second = queue.enter("ana").expect("second question");
        assert_eq!(queue.enter("ana").err(), Some(TooManyQuestions { limit: 2 }));
        let other = queue.enter("bea").expect("another user is not capped by ana's questions");
        drop(first);
        let third = queue.enter("ana").expect("a finished question frees its place");
        drop((second, third, other));
        assert!(LlmQueue::new(1, 0).enter("ana").is_ok());
    }

    #[tokio::test]
    async fn a_waiter_whose_client_left_gives_its_place_up() {
        let queue = Arc::new(LlmQueue::new(1, 0));
        let mut running = wait_in_line(&queue, "ana", "ana").await;
        assert_eq!(serve(&mut running).await, "ana");
        let leaving = wait_in_line(&queue, "bea", "bea").await;
        let mut next = wait_in_line(&queue, "cy", "cy").await;
        assert_eq!(queue.depth(), 2);
        let Waiter { events, task, .. } = leaving;
        drop(events);
        assert!(!task.await.expect("joins"), "the waiter got no slot");
        assert_eq!(queue.depth(), 1);
        release(&mut running).await;
        assert_eq!(serve(&mut next).await, "cy");
        assert_eq!(positions(&mut next.events), vec![2, 1]);
        release(&mut next).await;
    }
}
