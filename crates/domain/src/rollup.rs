//! Progress of a delegated task, rolled up from its sub-tasks.

use serde::{Deserialize, Serialize};

/// What the roll-up needs to know of one sub-task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubtaskProgress {
    /// Latest approved percentage, if any.
    pub percent: Option<u8>,
    pub completed: bool,
    pub cancelled: bool,
}

/// Mean progress of the sub-tasks that still count: a completed sub-task counts as 100 %, a
/// cancelled one not at all. `None` when no sub-task counts. Never above 100.
pub fn rollup(subtasks: &[SubtaskProgress]) -> Option<u8> {
    let counted: Vec<u32> = subtasks
        .iter()
        .filter(|subtask| !subtask.cancelled)
        .map(|subtask| {
            if subtask.completed {
                100
            } else {
                u32::from(subtask.percent.unwrap_or(0).min(100))
            }
        })
        .collect();
    if counted.is_empty() {
        return None;
    }
    let count = u32::try_from(counted.len()).unwrap_or(u32::MAX);
    let mean = counted.iter().sum::<u32>() / count;
    Some(u8::try_from(mean.min(100)).expect("bounded by 100"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sub(percent: Option<u8>, completed: bool, cancelled: bool) -> SubtaskProgress {
        SubtaskProgress {
            percent,
            completed,
            cancelled,
        }
    }

    #[test]
    fn completed_count_full_and_cancelled_not_at_all() {
        let subtasks = [
            sub(Some(40), false, false),
            sub(Some(60), true, false),
            sub(Some(90), false, true),
        ];
        assert_eq!(rollup(&subtasks), Some(70));
    }

    #[test]
    fn no_counted_subtask_gives_none() {
        assert_eq!(rollup(&[]), None);
        assert_eq!(rollup(&[sub(Some(50), false, true)]), None);
    }

    #[test]
    fn unreported_subtask_counts_as_zero() {
        assert_eq!(
            rollup(&[sub(None, false, false), sub(Some(50), false, false)]),
            Some(25)
        );
    }

    proptest! {
        #[test]
        fn rollup_never_exceeds_hundred(
            entries in proptest::collection::vec((proptest::option::of(0u8..=255), any::<bool>(), any::<bool>()), 0..20)
        ) {
            let subtasks: Vec<_> = entries.into_iter().map(|(p, c, x)| sub(p, c, x)).collect();
            if let Some(value) = rollup(&subtasks) {
                prop_assert!(value <= 100);
            }
        }
    }
}
