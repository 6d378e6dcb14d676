import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

/**
 * EPUBCheck on each file named, in one JVM: one start-up for all, where the command line takes
 * one file a run (about 4 s each). Its messages as the command line prints them, then a line
 * "<file>: <fatals> fatals / <errors> errors / <warnings> warnings".
 */
public class EpubCheckEach {
  public static void main(String[] files) {
    for (String file : files) {
      DefaultReportImpl report = new DefaultReportImpl(file);
      new EpubCheck(new File(file), report).doValidate();
      System.out.println(file + ": " + report.getFatalErrorCount() + " fatals / " + report.getErrorCount() + " errors / " + report.getWarningCount() + " warnings");
    }
  }
}
