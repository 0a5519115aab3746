//! The Merkle tree of RFC 9162 (Certificate Transparency v2), section 2.1: hashes, roots,
//! inclusion proofs and consistency proofs over a list of leaf hashes, as pure functions.
//!
//! Proofs are built by the recursive definitions of the RFC (`PATH` in 2.1.3.1, `PROOF` and
//! `SUBPROOF` in 2.1.4.1) and checked by its iterative verification algorithms (2.1.3.2 and
//! 2.1.4.2), so a proof built here verifies with any other implementation of the RFC.

use sha2::{Digest, Sha256};

/// A SHA-256 value: a leaf hash, a node hash or a tree root.
pub type Hash = [u8; 32];

/// Returns the hash of a leaf: SHA-256(0x00 || entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(entry);
    hasher.finalize().into()
}

/// Returns the hash of an inner node: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// Returns the root of the empty tree, SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Returns the largest power of two smaller than `n`; `n` must be at least 2.
fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// Returns the Merkle tree hash MTH of the leaves whose hashes are `leaves`.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// Returns the inclusion proof of leaf `index` in the tree of `leaves`, or `None` when the
/// index is outside the tree.
pub fn inclusion_proof(index: usize, leaves: &[Hash]) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    build_path(index, leaves, &mut path);
    Some(path)
}

fn build_path(index: usize, leaves: &[Hash], path: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split_point(n);
    if index < k {
        build_path(index, &leaves[..k], path);
        path.push(root(&leaves[k..]));
    } else {
        build_path(index - k, &leaves[k..], path);
        path.push(root(&leaves[..k]));
    }
}

/// Returns the consistency proof between the tree of the first `old_size` leaves and the tree
/// of all `leaves`, or `None` when `old_size` is larger than the tree. The proof between a
/// tree and itself, and from the empty tree, is empty.
pub fn consistency_proof(old_size: usize, leaves: &[Hash]) -> Option<Vec<Hash>> {
    if old_size > leaves.len() {
        return None;
    }
    let mut proof = Vec::new();
    if old_size > 0 {
        build_subproof(old_size, leaves, true, &mut proof);
    }
    Some(proof)
}

fn build_subproof(m: usize, leaves: &[Hash], complete: bool, proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !complete {
            proof.push(root(leaves));
        }
        return;
    }
    let k = split_point(n);
    if m <= k {
        build_subproof(m, &leaves[..k], complete, proof);
        proof.push(root(&leaves[k..]));
    } else {
        build_subproof(m - k, &leaves[k..], false, proof);
        proof.push(root(&leaves[..k]));
    }
}

/// Checks an inclusion proof by the algorithm of RFC 9162, section 2.1.3.2.
pub fn verify_inclusion(
    index: u64,
    tree_size: u64,
    leaf: &Hash,
    path: &[Hash],
    root: &Hash,
) -> bool {
    if index >= tree_size {
        return false;
    }
    let (mut fn_, mut sn) = (index, tree_size - 1);
    let mut r = *leaf;
    for p in path {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && r == *root
}

/// Checks that the tree of `new_size` leaves with root `new_root` extends the tree of
/// `old_size` leaves with root `old_root`, by the algorithm of RFC 9162, section 2.1.4.2.
/// The RFC leaves two cases to the caller, handled here: equal sizes need an empty proof and
/// equal roots, and every tree extends the empty tree.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 {
        return proof.is_empty();
    }
    if proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);

    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    fr == *old_root && sr == *new_root && sn == 0
}

/// A tree grown one leaf at a time that gives its root at every size in O(log n), so that a
/// verifier can compare the roots of many checkpoints in one pass over the leaves.
///
/// It keeps the roots of the perfect subtrees that the binary form of the size describes,
/// largest first. That list is the RFC's tree shape: MTH splits off the largest power of two
/// smaller than the size, which is the first of those subtrees.
#[derive(Debug, Clone, Default)]
pub struct TreeBuilder {
    /// (height, root) of each perfect subtree, heights strictly decreasing.
    subtrees: Vec<(u32, Hash)>,
    size: u64,
}

impl TreeBuilder {
    pub fn new() -> TreeBuilder {
        TreeBuilder::default()
    }

    /// Adds the leaf whose hash is `leaf`.
    pub fn push(&mut self, leaf: Hash) {
        let mut current = (0u32, leaf);
        while let Some(&(height, left)) = self.subtrees.last() {
            if height != current.0 {
                break;
            }
            self.subtrees.pop();
            current = (height + 1, node_hash(&left, &current.1));
        }
        self.subtrees.push(current);
        self.size += 1;
    }

    /// Resumes a tree of `size` leaves from its frontier: the roots of its perfect subtrees,
    /// largest first, as [`TreeBuilder::frontier`] gave them. Returns `None` when their number
    /// does not fit `size`.
    pub fn resume(size: u64, frontier: &[Hash]) -> Option<TreeBuilder> {
        // The subtrees are the set bits of `size`, from the highest down.
        let heights = (0..u64::BITS)
            .rev()
            .filter(|height| size & (1 << height) != 0);
        if heights.clone().count() != frontier.len() {
            return None;
        }
        Some(TreeBuilder {
            subtrees: heights.zip(frontier.iter().copied()).collect(),
            size,
        })
    }

    /// Returns the roots of the perfect subtrees, largest first. With the size, they are all
    /// that [`TreeBuilder::resume`] needs to go on adding leaves.
    pub fn frontier(&self) -> Vec<Hash> {
        self.subtrees.iter().map(|(_, root)| *root).collect()
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the tree of every leaf added so far.
    pub fn root(&self) -> Hash {
        let mut subtrees = self.subtrees.iter().rev();
        let Some(&(_, last)) = subtrees.next() else {
            return empty_root();
        };
        subtrees.fold(last, |right, (_, left)| node_hash(left, &right))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(hash: &Hash) -> String {
        hash.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            hex(&empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    // The eight-leaf vectors of the Certificate Transparency reference implementation
    // (certificate-transparency-go, merkle tree tests): leaves 0x, 00, 10, 2021, 3031, 40414243,
    // 5051525354555657, 606162636465666768696a6b6c6d6e6f.
    fn reference_leaves() -> Vec<Hash> {
        let entries: [&[u8]; 8] = [
            b"",
            &[0x00],
            &[0x10],
            &[0x20, 0x21],
            &[0x30, 0x31],
            &[0x40, 0x41, 0x42, 0x43],
            &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            &[
                0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
                0x6e, 0x6f,
            ],
        ];
        entries.iter().map(|entry| leaf_hash(entry)).collect()
    }

    #[test]
    fn roots_match_reference_vectors() {
        let leaves = reference_leaves();
        let expected = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        for (size, want) in expected.iter().enumerate() {
            assert_eq!(hex(&root(&leaves[..=size])), *want, "size {}", size + 1);
        }
    }

    #[test]
    fn inclusion_proof_matches_reference_vector() {
        let leaves = reference_leaves();
        let proof = inclusion_proof(0, &leaves).unwrap();
        let proof: Vec<String> = proof.iter().map(hex).collect();
        assert_eq!(
            proof,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        );
    }

    #[test]
    fn resumed_tree_matches_grown_tree() {
        let leaves = reference_leaves();
        for cut in 0..=leaves.len() {
            let mut grown = TreeBuilder::new();
            for leaf in &leaves[..cut] {
                grown.push(*leaf);
            }
            let mut resumed = TreeBuilder::resume(grown.size(), &grown.frontier())
                .unwrap_or_else(|| panic!("frontier of size {cut} resumes"));
            assert_eq!(resumed.root(), root(&leaves[..cut]), "root at {cut}");

            for leaf in &leaves[cut..] {
                resumed.push(*leaf);
            }
            assert_eq!(resumed.size(), leaves.len() as u64);
            assert_eq!(resumed.root(), root(&leaves), "resumed at {cut}");
        }
    }

    #[test]
    fn resume_rejects_frontier_of_other_size() {
        let leaves = reference_leaves();
        let mut tree = TreeBuilder::new();
        for leaf in &leaves[..6] {
            tree.push(*leaf);
        }
        assert_eq!(
            tree.frontier().len(),
            2,
            "six leaves make subtrees of four and two"
        );
        assert!(TreeBuilder::resume(7, &tree.frontier()).is_none());
        assert!(TreeBuilder::resume(4, &tree.frontier()).is_none());
        assert!(TreeBuilder::resume(6, &tree.frontier()).is_some());
    }
}
