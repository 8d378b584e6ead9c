// Search from a book opened as files (file://, as the README suggests): Sphinx's search
// fetches each result's page to show an excerpt, and a page opened from file:// may not
// fetch, so every result logged an error in the console. There, show the results without
// excerpts; over http they keep theirs.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
