//! Property tests of the audit tree against the definitions of RFC 9162, section 2.1: the
//! incremental builder against the recursive MTH, and proofs built by the recursive `PATH`
//! and `PROOF` against the RFC's verification algorithms.

use proptest::prelude::*;
use theodoi_domain::audit::merkle::{
    Hash, TreeBuilder, consistency_proof, inclusion_proof, leaf_hash, node_hash, root,
    verify_consistency, verify_inclusion,
};

/// MTH written out from the RFC text, independently of `merkle::root`: k is found by doubling.
fn reference_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => sha_empty(),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}

fn sha_empty() -> Hash {
    theodoi_domain::audit::merkle::empty_root()
}

fn leaves(count: usize) -> Vec<Hash> {
    (0..count)
        .map(|i| leaf_hash(&(i as u64).to_be_bytes()))
        .collect()
}

fn flip(hash: &Hash, bit: u8) -> Hash {
    let mut changed = *hash;
    changed[usize::from(bit / 8) % 32] ^= 1 << (bit % 8);
    changed
}

proptest! {
    #[test]
    fn builder_root_equals_mth_at_every_size(count in 0usize..80) {
        let leaves = leaves(count);
        let mut builder = TreeBuilder::new();
        prop_assert_eq!(builder.root(), reference_root(&[]));
        for (size, leaf) in leaves.iter().enumerate() {
            builder.push(*leaf);
            prop_assert_eq!(builder.size(), size as u64 + 1);
            prop_assert_eq!(builder.root(), reference_root(&leaves[..=size]));
            prop_assert_eq!(root(&leaves[..=size]), reference_root(&leaves[..=size]));
        }
    }

    #[test]
    fn inclusion_proofs_verify(count in 1usize..70, pick in any::<prop::sample::Index>()) {
        let leaves = leaves(count);
        let index = pick.index(count);
        let tree_root = reference_root(&leaves);
        let proof = inclusion_proof(index, &leaves).unwrap();
        prop_assert!(verify_inclusion(index as u64, count as u64, &leaves[index], &proof, &tree_root));
    }

    #[test]
    fn altered_inclusion_fails(
        count in 2usize..70,
        pick in any::<prop::sample::Index>(),
        bit in any::<u8>(),
    ) {
        let leaves = leaves(count);
        let index = pick.index(count);
        let tree_root = reference_root(&leaves);
        let proof = inclusion_proof(index, &leaves).unwrap();
        let size = count as u64;
        let other_leaf = flip(&leaves[index], bit);
        prop_assert!(!verify_inclusion(index as u64, size, &other_leaf, &proof, &tree_root));
        prop_assert!(!verify_inclusion(index as u64, size, &leaves[index], &proof, &flip(&tree_root, bit)));
        let other_index = (index as u64 + 1) % size;
        prop_assert!(!verify_inclusion(other_index, size, &leaves[index], &proof, &tree_root));
        prop_assert!(!verify_inclusion(size, size, &leaves[index], &proof, &tree_root));
        if !proof.is_empty() {
            let mut bent = proof.clone();
            let at = usize::from(bit) % bent.len();
            bent[at] = flip(&bent[at], bit);
            prop_assert!(!verify_inclusion(index as u64, size, &leaves[index], &bent, &tree_root));
        }
    }

    #[test]
    fn consistency_proofs_verify(count in 1usize..70, pick in any::<prop::sample::Index>()) {
        let leaves = leaves(count);
        let old = pick.index(count + 1);
        let proof = consistency_proof(old, &leaves).unwrap();
        prop_assert!(verify_consistency(
            old as u64,
            count as u64,
            &reference_root(&leaves[..old]),
            &reference_root(&leaves),
            &proof,
        ));
    }

    #[test]
    fn rewritten_history_is_inconsistent(
        count in 2usize..70,
        pick in any::<prop::sample::Index>(),
        changed in any::<prop::sample::Index>(),
    ) {
        let leaves = leaves(count);
        let old = 1 + pick.index(count - 1);
        let old_root = reference_root(&leaves[..old]);
        // Another history that differs within the first `old` leaves.
        let mut forged = leaves.clone();
        let at = changed.index(old);
        forged[at] = leaf_hash(b"forged");
        let proof = consistency_proof(old, &forged).unwrap();
        prop_assert!(!verify_consistency(
            old as u64,
            count as u64,
            &old_root,
            &reference_root(&forged),
            &proof,
        ));
    }

    // A proof checked with a smaller new size can still pass, because a node may stand for a
    // leaf (sizes 5 and 6 from 1 share one proof shape); so only a reversed order is checked.
    #[test]
    fn consistency_with_reversed_sizes_fails(count in 3usize..70, pick in any::<prop::sample::Index>()) {
        let leaves = leaves(count);
        let old = 1 + pick.index(count - 2);
        let proof = consistency_proof(old, &leaves).unwrap();
        let old_root = reference_root(&leaves[..old]);
        let new_root = reference_root(&leaves);
        prop_assert!(!verify_consistency(count as u64, old as u64, &new_root, &old_root, &proof));
    }
}

#[test]
fn consistency_edge_cases() {
    let leaves = leaves(5);
    let full = root(&leaves);
    assert_eq!(consistency_proof(5, &leaves), Some(vec![]));
    assert!(verify_consistency(5, 5, &full, &full, &[]));
    assert!(!verify_consistency(5, 5, &full, &flip(&full, 3), &[]));
    assert!(verify_consistency(0, 5, &sha_empty(), &full, &[]));
    assert_eq!(consistency_proof(6, &leaves), None);
    assert_eq!(inclusion_proof(5, &leaves), None);
}
