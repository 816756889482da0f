package dev.sfstream.soql.ast;

/**
 * Where a piece of a statement starts: 1-based line and column, and the 0-based character offset.
 */
public record Position(int line, int column, int offset) {
}
