package io.destkit.core.typing;

/** A JSON schema that is not one: {@link #path()} is the JSON Pointer of the part at fault. */
public final class MalformedSchemaException extends IllegalArgumentException {
  private final String path;
  private final String problem;

  public MalformedSchemaException(String path, String problem) {
    super("malformed JSON schema at " + where(path) + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The JSON Pointer of the part at fault ({@code /properties/a/type}); empty for the root. */
  public String path() {
    return path;
  }

  /** What is wrong there. */
  public String problem() {
    return problem;
  }

  /** The path as a message shows it. */
  public String where() {
    return where(path);
  }

  private static String where(String path) {
    return path.isEmpty() ? "the schema's root" : "'" + path + "'";
  }
}
