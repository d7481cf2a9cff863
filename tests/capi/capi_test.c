/* Drives the C API from C: each check prints what failed and the exit status
 * is the number of failures. */
#include <stdio.h>
#include <string.h>

#include "canvasfx_c.h"

static int failures = 0;

static void expect_text(cfx_engine* e, const char* formula, const char* expected) {
  char* diags = NULL;
  cfx_formula* f = cfx_check(e, formula, 0, &diags);
  if (!f) {
    printf("FAIL %s: did not check: %s\n", formula, diags ? diags : "");
    cfx_free(diags);
    ++failures;
    return;
  }
  char* shown = cfx_eval_to_text(e, f);
  if (!shown || strcmp(shown, expected) != 0) {
    printf("FAIL %s: expected %s, got %s\n", formula, expected, shown ? shown : "(null)");
    ++failures;
  }
  cfx_free(shown);
  cfx_formula_free(f);
}

int main(void) {
  cfx_engine* e = cfx_engine_new();
  if (!e) return 1;
  cfx_set_number(e, "x", 4);
  cfx_set_text(e, "name", "canvas");
  cfx_set_boolean(e, "online", 1);
  expect_text(e, "x * 2 + 1", "9");
  expect_text(e, "If(online, name & \"fx\", \"off\")", "\"canvasfx\"");
  expect_text(e, "1/0", "Error({Kind:ErrorKind.Div0})");

  cfx_formula* f = cfx_check(e, "x / 8", 0, NULL);
  double n = 0;
  if (!f || cfx_eval_to_number(e, f, &n) != 0 || n != 0.5) {
    printf("FAIL x / 8 as number\n");
    ++failures;
  }
  cfx_set_number(e, "x", 16);
  if (!f || cfx_eval_to_number(e, f, &n) != 0 || n != 2) {
    printf("FAIL x / 8 after x changed\n");
    ++failures;
  }
  cfx_formula_free(f);

  char* diags = NULL;
  if (cfx_check(e, "x +", 0, &diags) != NULL || !diags || strstr(diags, "Error 3-3") == NULL) {
    printf("FAIL diagnostics for 'x +': %s\n", diags ? diags : "(none)");
    ++failures;
  }
  cfx_free(diags);
  if (cfx_check(NULL, NULL, 0, NULL) != NULL) ++failures;

  /* Named formulas and user-defined functions. */
  diags = NULL;
  if (cfx_define(e, "Total = Twice(Price); Price = x + 1; Twice(n: Number): Number = n * 2;",
                 &diags) != 0) {
    printf("FAIL define: %s\n", diags ? diags : "");
    ++failures;
  }
  cfx_free(diags);
  expect_text(e, "Total", "34"); /* x is 16 */
  char* stale = cfx_invalidated_by(e, "x");
  if (!stale || strcmp(stale, "Price\nTotal\n") != 0) {
    printf("FAIL invalidated_by x: %s\n", stale ? stale : "(null)");
    ++failures;
  }
  cfx_free(stale);
  cfx_set_number(e, "x", 1);
  char* total = cfx_formula_value_to_text(e, "Total");
  if (!total || strcmp(total, "4") != 0) {
    printf("FAIL Total after x changed: %s\n", total ? total : "(null)");
    ++failures;
  }
  cfx_free(total);
  if (cfx_formula_value_to_text(e, "nope") != NULL) ++failures;
  diags = NULL;
  if (cfx_define(e, "a = b; b = a;", &diags) == 0 || !diags ||
      strstr(diags, "Circular reference") == NULL) {
    printf("FAIL cycle: %s\n", diags ? diags : "(none)");
    ++failures;
  }
  cfx_free(diags);
  cfx_engine_free(e);
  printf("%d failures\n", failures);
  return failures;
}
