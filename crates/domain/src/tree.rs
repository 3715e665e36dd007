//! Walking parent links: units (province command → border post → station) and categories form
//! trees, and a filter on a node means "this node and everything below it".

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// All nodes in the subtree rooted at `root`, root first, breadth-first. `links` maps each node to its
/// parent. Safe on malformed data: a cycle is walked once.
pub fn subtree<Id: Copy + Eq + Hash>(links: &[(Id, Option<Id>)], root: Id) -> Vec<Id> {
    let mut children: HashMap<Id, Vec<Id>> = HashMap::new();
    for (id, parent) in links {
        if let Some(p) = parent {
            children.entry(*p).or_default().push(*id);
        }
    }
    let mut seen = HashSet::from([root]);
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            for k in kids {
                if seen.insert(*k) {
                    out.push(*k);
                }
            }
        }
        i += 1;
    }
    out
}

/// True when making `parent` the parent of `node` would close a cycle (the parent lies in the node's
/// own subtree, or is the node itself).
pub fn would_cycle<Id: Copy + Eq + Hash>(links: &[(Id, Option<Id>)], node: Id, parent: Id) -> bool {
    subtree(links, node).contains(&parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    //      1
    //    2   3
    //   4     5
    const LINKS: [(u8, Option<u8>); 5] = [(1, None), (2, Some(1)), (3, Some(1)), (4, Some(2)), (5, Some(3))];

    #[test]
    fn subtree_contains_root_and_descendants_only() {
        assert_eq!(subtree(&LINKS, 1), vec![1, 2, 3, 4, 5]);
        assert_eq!(subtree(&LINKS, 2), vec![2, 4]);
        assert_eq!(subtree(&LINKS, 5), vec![5]);
        assert_eq!(subtree(&LINKS, 9), vec![9], "unknown root is its own subtree");
    }

    #[test]
    fn cycles_are_detected_and_survived() {
        assert!(would_cycle(&LINKS, 2, 4));
        assert!(would_cycle(&LINKS, 2, 2));
        assert!(!would_cycle(&LINKS, 4, 3));
        let cyclic = [(1u8, Some(2u8)), (2, Some(1))];
        assert_eq!(subtree(&cyclic, 1), vec![1, 2]);
    }
}
