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

/// The nodes readers may reach: not hidden themselves and below no hidden node. `nodes` holds
/// (node, parent, hidden); a node whose parent is unknown counts as a root.
pub fn reachable<Id: Copy + Eq + Hash>(nodes: &[(Id, Option<Id>, bool)]) -> HashSet<Id> {
    let links: Vec<(Id, Option<Id>)> = nodes.iter().map(|(id, p, _)| (*id, *p)).collect();
    let known: HashSet<Id> = nodes.iter().map(|(id, _, _)| *id).collect();
    let hidden: HashSet<Id> = nodes.iter().filter(|(_, _, h)| *h).map(|(id, _, _)| *id).collect();
    let mut out = HashSet::new();
    for (id, parent, is_hidden) in nodes {
        let is_root = parent.is_none_or(|p| !known.contains(&p));
        if is_root && !is_hidden {
            out.extend(subtree(&links, *id).into_iter().filter(|n| !hidden.contains(n)));
        }
    }
    // A visible node below a hidden one was added by the walk from its root: remove whole hidden subtrees.
    for h in &hidden {
        for n in subtree(&links, *h) {
            out.remove(&n);
        }
    }
    out
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
    fn hidden_nodes_hide_their_subtrees() {
        let nodes =
            [(1, None, false), (2, Some(1), true), (3, Some(1), false), (4, Some(2), false), (5, Some(3), false)];
        let mut got: Vec<u8> = reachable(&nodes).into_iter().collect();
        got.sort();
        assert_eq!(got, vec![1, 3, 5]);
        let orphan = [(7u8, Some(99u8), false), (8, None, true)];
        assert_eq!(reachable(&orphan).into_iter().collect::<Vec<_>>(), vec![7]);
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
