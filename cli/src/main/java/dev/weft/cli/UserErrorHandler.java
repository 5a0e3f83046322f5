package dev.weft.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions from a command into one line a person can act on and a non-zero exit code.
 * Errors about the user's input (bad flags, missing or corrupt files) print only their message;
 * anything else is a bug in Weft and also prints its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

  /** Exit code for a usage or input error, matching picocli's code for bad flags. */
  static final int INPUT_ERROR = 2;

  /** Exit code for an internal error. */
  static final int INTERNAL_ERROR = 1;

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    String command = commandLine.getCommandName();
    if (isInputError(ex)) {
      commandLine.getErr().println("weft " + command + ": error: " + ex.getMessage());
      return INPUT_ERROR;
    }
    commandLine.getErr().println("weft " + command + ": internal error: " + ex);
    ex.printStackTrace(commandLine.getErr());
    return INTERNAL_ERROR;
  }

  private static boolean isInputError(Throwable ex) {
    return ex instanceof IllegalArgumentException
        || ex instanceof UncheckedIOException
        || ex instanceof java.io.IOException
        || ex instanceof CommandLine.ParameterException;
  }
}
