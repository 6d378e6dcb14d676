/*
 * Runs epubcheck over many EPUBs in one JVM: starting epubcheck costs seconds, checking one
 * small EPUB a few milliseconds. Prints one line per file, "<fatals> <errors> <warnings> <file>",
 * then every message of a file that is not clean, indented, so a failing test shows why.
 * Run it as a single-file source program: java -cp /usr/share/java/epubcheck.jar EpubCheckAll.java FILE...
 */
import com.adobe.epubcheck.api.EPUBLocation;
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.messages.Message;
import com.adobe.epubcheck.messages.Severity;
import com.adobe.epubcheck.api.MasterReport;
import com.adobe.epubcheck.util.FeatureEnum;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

public class EpubCheckAll {
  /** Counts fatals, errors and warnings as epubcheck's own command line does, and keeps their messages. */
  static final class Collecting extends MasterReport {
    final List<String> lines = new ArrayList<>();
    int fatals, errors, warnings;

    @Override
    public void message(Message message, EPUBLocation location, Object... args) {
      Severity s = message.getSeverity();
      if (s == Severity.FATAL) fatals++;
      else if (s == Severity.ERROR) errors++;
      else if (s == Severity.WARNING) warnings++;
      else return;
      lines.add("  " + s + "(" + message.getID() + ") " + location.getPath() + ":" + location.getLine() + ":" + location.getColumn() + ": " + message.getMessage(args));
    }

    @Override
    public void info(String resource, FeatureEnum feature, String value) {}

    @Override
    public int generate() {
      return 0;
    }

    @Override
    public void initialize() {}
  }

  public static void main(String[] files) {
    for (String name : files) {
      Collecting report = new Collecting();
      new EpubCheck(new File(name), report).doValidate();
      System.out.println(report.fatals + " " + report.errors + " " + report.warnings + " " + name);
      for (String line : report.lines) System.out.println(line);
    }
  }
}
