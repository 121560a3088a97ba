//! The LLM queue: the model is the scarce resource (one CPU box answers one question at a time), so generations
//! beyond `PSTRAL_LLM_CONCURRENCY` wait here, first come first served, and are told their position as it moves.
//! A waiter whose client left gives its place up at once.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use schemas::ChatEvent;
use tokio::sync::mpsc::Sender;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// First-come queue in front of the LLM.
#[derive(Debug)]
pub struct LlmQueue {
    slots: std::sync::Arc<Semaphore>,
    next_ticket: AtomicU64,
    waiting: Mutex<BTreeSet<u64>>,
    moved: watch::Sender<u64>,
}

/// A place in the queue; leaving (drop) frees it.
struct Ticket<'a> {
    queue: &'a LlmQueue,
    number: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if let Ok(mut waiting) = self.queue.waiting.lock() {
            waiting.remove(&self.number);
        }
        self.queue.moved.send_modify(|version| *version += 1);
    }
}

impl LlmQueue {
    /// A queue letting `concurrency` generations run at once (at least one).
    pub fn new(concurrency: usize) -> Self {
        Self {
            slots: std::sync::Arc::new(Semaphore::new(concurrency.max(1))),
            next_ticket: AtomicU64::new(0),
            waiting: Mutex::new(BTreeSet::new()),
            moved: watch::channel(0).0,
        }
    }

    /// Returns how many generations wait.
    pub fn depth(&self) -> usize {
        self.waiting.lock().map(|waiting| waiting.len()).unwrap_or_default()
    }

    /// Waits for a slot, sending `queued` events with the position (1 = next) whenever it changes; gives up with
    /// `None` when the client is gone (`events` closed).
    pub async fn acquire(&self, events: &Sender<ChatEvent>) -> Option<OwnedSemaphorePermit> {
        if let Ok(permit) = std::sync::Arc::clone(&self.slots).try_acquire_owned() {
            return Some(permit);
        }
        let ticket = Ticket { queue: self, number: self.next_ticket.fetch_add(1, Ordering::Relaxed) };
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(ticket.number);
        }
        let mut moved = self.moved.subscribe();
        // Created once: the semaphore is fair, so this future keeps its place in line across the loop.
        let slot = std::sync::Arc::clone(&self.slots).acquire_owned();
        tokio::pin!(slot);
        let mut last_position = 0;
        loop {
            let position = self.position(ticket.number);
            if position != last_position {
                events.send(ChatEvent::Queued { position }).await.ok()?;
                last_position = position;
            }
            tokio::select! {
                permit = &mut slot => return permit.ok(),
                _ = moved.changed() => {}
                () = events.closed() => return None,
            }
        }
    }

    fn position(&self, ticket: u64) -> usize {
        self.waiting.lock().map(|waiting| waiting.range(..=ticket).count()).unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::sync::mpsc;

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

    #[tokio::test]
    async fn waiters_are_served_in_order_and_see_their_position_move() {
        let queue = Arc::new(LlmQueue::new(1));
        let (events, _keep) = mpsc::channel(16);
        let first = queue.acquire(&events).await.expect("a free slot");
        let mut waiters = Vec::new();
        let mut receivers = Vec::new();
        for name in ["second", "third"] {
            let queue = Arc::clone(&queue);
            let (events, receiver) = mpsc::channel(16);
            receivers.push(receiver);
            waiters.push(tokio::spawn(async move { (name, queue.acquire(&events).await) }));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(queue.depth(), 2);
        drop(first);
        let (name, permit) = waiters.remove(0).await.expect("joins");
        assert_eq!(name, "second");
        assert!(permit.is_some());
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(permit);
        let (name, permit) = waiters.remove(0).await.expect("joins");
        assert_eq!(name, "third");
        assert!(permit.is_some());
        assert_eq!(positions(&mut receivers[0]), vec![1]);
        assert_eq!(positions(&mut receivers[1]), vec![2, 1]);
    }

    #[tokio::test]
    async fn a_waiter_whose_client_left_gives_its_place_up() {
        let queue = Arc::new(LlmQueue::new(1));
        let (events, _keep) = mpsc::channel(16);
        let _busy = queue.acquire(&events).await.expect("a free slot");
        let (events, receiver) = mpsc::channel(16);
        let leaving = {
            let queue = Arc::clone(&queue);
            tokio::spawn(async move { queue.acquire(&events).await.is_none() })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(queue.depth(), 1);
        drop(receiver);
        assert!(leaving.await.expect("joins"), "the waiter got no slot");
        assert_eq!(queue.depth(), 0);
    }
}
