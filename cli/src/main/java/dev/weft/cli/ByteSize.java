package dev.weft.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** Parses sizes like {@code 512MiB}, {@code 2GiB}, {@code 64M}, {@code 1048576} into bytes. */
final class ByteSize implements ITypeConverter<Long> {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '" + value + "': use a number of bytes or e.g. 512MiB, 2GiB, 64M");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : "kmgt".indexOf(unit) + 1;
    // K/M/G/T are binary (1024), as memory sizes usually are.
    return (long) (number * Math.pow(1024, power));
  }
}
