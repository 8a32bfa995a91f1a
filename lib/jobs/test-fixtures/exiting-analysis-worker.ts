// An analysis worker that dies mid-analysis (as on an out-of-memory kill): exits without a word.
process.exit(3);
