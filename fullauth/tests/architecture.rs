//! `ARCHITECTURE.md` is the map of the code; this keeps it true. Every module of each crate is on its table of
//! layers, no file names an item of a module on a higher row, no two files need each other (directly or through
//! others), and no source file grows past 400 lines.
//!
//! A file depends on the file that *defines* each item it names (through `use`, re-exports included, or an inline
//! `crate::`/`super::` path): re-exports are followed to the definition, so a `mod.rs` that only re-exports is a
//! face, not a knot. `ARCHITECTURE_DEBUG=<path ending>` prints what each path of the matching files resolves to.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

const MAX_LINES: usize = 400;

/// One source file: its module path from the crate root, and what it names.
struct SourceFile {
    path: PathBuf,
    module: Vec<String>,
    /// `use` items: the name they bring into scope and the absolute path it stands for.
    imports: Vec<(String, Vec<String>)>,
    /// Every absolute path the file names (imports and inline paths).
    named: Vec<Vec<String>>,
}

fn rust_files(directory: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` -> `[a, b]`; `src/lib.rs` -> `[]`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Collects the `use` trees of a file, and every other path it writes.
struct Collector<'a> {
    /// The module being read: the file's, then any inline module (`mod tests { ... }`) inside it.
    module: Vec<String>,
    children: &'a BTreeSet<String>,
    imports: Vec<(String, Vec<String>)>,
    named: Vec<Vec<String>>,
}

impl Collector<'_> {
    /// A path as written in this file, made absolute; `None` for paths into other crates or local names.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let mut base: Vec<String> = match first.as_str() {
            "crate" | "$crate" => Vec::new(),
            "self" => self.module.clone(),
            "super" => {
                let mut base = self.module.clone();
                base.pop();
                let mut rest = rest;
                while rest.first().is_some_and(|segment| segment == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                return Some(base);
            }
            child if self.children.contains(child) => {
                let mut base = self.module.clone();
                base.push(child.to_owned());
                base
            }
            _ => return None,
        };
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let ident = name.ident.to_string();
                let mut full = prefix.clone();
                if ident != "self" {
                    full.push(ident.clone());
                }
                let bound = if ident == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    ident
                };
                self.record_use(bound, &full);
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                if rename.ident != "self" {
                    full.push(rename.ident.to_string());
                }
                self.record_use(rename.rename.to_string(), &full);
            }
            syn::UseTree::Glob(_) => {
                if let Some(absolute) = self.absolute(prefix) {
                    self.named.push(absolute);
                }
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn record_use(&mut self, bound: String, full: &[String]) {
        if let Some(absolute) = self.absolute(full) {
            self.named.push(absolute.clone());
            self.imports.push((bound, absolute));
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        // A lone `self` is a method's receiver, not a module.
        if segments.len() > 1
            && let Some(absolute) = self.absolute(&segments)
        {
            self.named.push(absolute);
        }
        syn::visit::visit_path(self, path);
    }
}

fn read_crate(root: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    rust_files(root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let ast = syn::parse_file(&text)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let module = module_of(root, &path);
            let children: BTreeSet<String> = ast
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Mod(child) => Some(child.ident.to_string()),
                    _ => None,
                })
                .collect();
            let mut collector = Collector {
                module: module.clone(),
                children: &children,
                imports: Vec::new(),
                named: Vec::new(),
            };
            collector.visit_file(&ast);
            let (imports, named) = (collector.imports, collector.named);
            SourceFile {
                path,
                module,
                imports,
                named,
            }
        })
        .collect()
}

/// The file defining what `path` names: the longest module prefix, then re-exports followed.
fn defining_file(
    files: &[SourceFile],
    modules: &HashMap<Vec<String>, usize>,
    path: &[String],
    depth: usize,
) -> Option<usize> {
    let (length, &index) = (0..=path.len())
        .rev()
        .find_map(|length| modules.get(&path[..length]).map(|index| (length, index)))?;
    let Some(name) = path.get(length) else {
        return Some(index);
    };
    if depth < 8
        && let Some((_, target)) = files[index].imports.iter().find(|(bound, _)| bound == name)
    {
        let mut followed = target.clone();
        followed.extend(path[length + 1..].iter().cloned());
        return defining_file(files, modules, &followed, depth + 1).or(Some(index));
    }
    Some(index)
}

/// `file -> files it depends on`.
fn dependencies(files: &[SourceFile]) -> Vec<BTreeSet<usize>> {
    let modules: HashMap<Vec<String>, usize> = files
        .iter()
        .enumerate()
        .map(|(index, file)| (file.module.clone(), index))
        .collect();
    if let Ok(wanted) = std::env::var("ARCHITECTURE_DEBUG") {
        for file in files.iter().filter(|file| file.path.ends_with(&wanted)) {
            for path in &file.named {
                let target = defining_file(files, &modules, path, 0);
                eprintln!("{path:?} -> {:?}", target.map(|index| &files[index].path));
            }
        }
    }
    files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            file.named
                .iter()
                .filter_map(|path| defining_file(files, &modules, path, 0))
                // The crate root defines nothing but exported macros; what it re-exports is followed.
                .filter(|target| *target != index && !files[*target].module.is_empty())
                .collect()
        })
        .collect()
}

/// The rows of the layer table under `heading` in ARCHITECTURE.md: each row's modules, top row first.
fn layer_rows(heading: &str) -> Vec<Vec<String>> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md"))
            .unwrap();
    let section = text
        .split_once(heading)
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no {heading:?}"))
        .1;
    section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let modules = line.split('|').nth(2).unwrap_or_default();
            modules
                .split(',')
                .map(|module| module.trim().trim_matches('`').to_owned())
                .filter(|module| !module.is_empty())
                .collect()
        })
        .collect()
}

/// The strongly connected groups of more than one file.
fn cycles(graph: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct Tarjan<'a> {
        graph: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        found: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, node: usize) {
            self.index[node] = Some(self.next);
            self.low[node] = self.next;
            self.next += 1;
            self.stack.push(node);
            self.on_stack[node] = true;
            for &next in &self.graph[node] {
                match self.index[next] {
                    None => {
                        self.visit(next);
                        self.low[node] = self.low[node].min(self.low[next]);
                    }
                    Some(index) if self.on_stack[next] => {
                        self.low[node] = self.low[node].min(index);
                    }
                    Some(_) => {}
                }
            }
            if Some(self.low[node]) == self.index[node] {
                let mut group = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack[member] = false;
                    group.push(member);
                    if member == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    self.found.push(group);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        graph,
        index: vec![None; graph.len()],
        low: vec![0; graph.len()],
        on_stack: vec![false; graph.len()],
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in 0..graph.len() {
        if tarjan.index[node].is_none() {
            tarjan.visit(node);
        }
    }
    tarjan.found
}

fn check_crate(source: &str, heading: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
    let files = read_crate(&root);
    let graph = dependencies(&files);
    let name = |index: usize| {
        files[index]
            .path
            .strip_prefix(&root)
            .unwrap()
            .display()
            .to_string()
    };
    let mut problems = Vec::new();

    // Every top-level module on exactly one row, every row's module real; the crate root is above them all.
    let rows = layer_rows(heading);
    let mut row_of: BTreeMap<String, usize> = BTreeMap::new();
    for (row, modules) in rows.iter().enumerate() {
        for module in modules {
            if row_of.insert(module.clone(), row).is_some() {
                problems.push(format!("`{module}` is on two rows"));
            }
        }
    }
    let top_level: BTreeSet<String> = files
        .iter()
        .filter_map(|file| file.module.first().cloned())
        .collect();
    for module in &top_level {
        if !row_of.contains_key(module) {
            problems.push(format!("`{module}` is on no row of {heading:?}"));
        }
    }
    for module in row_of.keys() {
        if module != "lib" && !top_level.contains(module) {
            problems.push(format!("`{module}` is on a row but is no module"));
        }
    }
    let row = |index: usize| {
        let module = files[index].module.first().map_or("lib", String::as_str);
        row_of.get(module).copied().unwrap_or(0)
    };

    for (index, targets) in graph.iter().enumerate() {
        for &target in targets {
            let (from, to) = (&files[index].module, &files[target].module);
            if from.first() != to.first() && row(target) <= row(index) && !from.is_empty() {
                problems.push(format!(
                    "{} names an item of {}, on a row not below its own",
                    name(index),
                    name(target)
                ));
            }
        }
    }
    for group in cycles(&graph) {
        let mut ties: Vec<String> = group
            .iter()
            .flat_map(|&from| {
                graph[from]
                    .iter()
                    .filter(|to| group.contains(to))
                    .map(move |&to| format!("{} -> {}", name(from), name(to)))
            })
            .collect();
        ties.sort();
        problems.push(format!("these files need each other: {}", ties.join(", ")));
    }
    for (index, file) in files.iter().enumerate() {
        let lines = std::fs::read_to_string(&file.path).unwrap().lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "{} has {lines} lines (at most {MAX_LINES})",
                name(index)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_runtime_crate_matches_its_map() {
    check_crate("src", "## Layers of `fullauth`");
}

#[test]
fn the_derive_crate_matches_its_map() {
    check_crate("../fullauth-derive/src", "## Layers of `fullauth-derive`");
}
