/* Drives the C API from C: each check prints what failed and the exit status
 * is the number of failures. Values, last-error messages, JSON in and out, a
 * sync store and its signals. */
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

static void expect_json(cfx_engine* e, const char* formula, const char* expected) {
  cfx_formula* f = cfx_check(e, formula, 0, NULL);
  char* json = f ? cfx_eval_to_json(e, f) : NULL;
  if (!json || strcmp(json, expected) != 0) {
    printf("FAIL %s as JSON: expected %s, got %s\n", formula, expected,
           json ? json : cfx_last_error());
    ++failures;
  }
  cfx_free(json);
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
  expect_text(e, "1/0",
              "Error({Kind:ErrorKind.Div0,Message:\"Invalid operation: division by zero.\"})");
  if (strcmp(cfx_last_error(), "Invalid operation: division by zero.") != 0) {
    printf("FAIL last error after 1/0: %s\n", cfx_last_error());
    ++failures;
  }

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
  if (strstr(cfx_last_error(), "NULL") == NULL) {
    printf("FAIL last error after a NULL engine: '%s'\n", cfx_last_error());
    ++failures;
  }
  if (strcmp(cfx_version(), CANVASFX_VERSION_STRING) != 0) {
    printf("FAIL version %s, headers %s\n", cfx_version(), CANVASFX_VERSION_STRING);
    ++failures;
  }

  /* JSON in and out. */
  if (cfx_set_json(e, "orders", "[{\"id\": 1, \"total\": 9.5}, {\"id\": 2, \"total\": 20}]") != 0) {
    printf("FAIL set_json: %s\n", cfx_last_error());
    ++failures;
  }
  expect_text(e, "Sum(orders, total)", "29.5");
  expect_json(e, "Filter(orders, total > 10)", "[{\"id\":2,\"total\":20}]");
  expect_json(e, "{when: Date(2024, 5, 1), no: Blank()}", "{\"no\":null,\"when\":\"2024-05-01\"}");
  expect_json(
      e, "1/0",
      "{\"error\":{\"kind\":\"Div0\",\"message\":\"Invalid operation: division by zero.\"}}");
  char* got = cfx_get_json(e, "orders");
  if (!got || strcmp(got, "[{\"id\":1,\"total\":9.5},{\"id\":2,\"total\":20}]") != 0) {
    printf("FAIL get_json orders: %s\n", got ? got : cfx_last_error());
    ++failures;
  }
  cfx_free(got);
  if (cfx_set_json(e, "bad", "{\"a\": ") == 0 || strstr(cfx_last_error(), "parse error") == NULL) {
    printf("FAIL set_json of broken JSON: '%s'\n", cfx_last_error());
    ++failures;
  }
  if (cfx_get_json(e, "nothing") != NULL || strstr(cfx_last_error(), "nothing") == NULL) {
    printf("FAIL get_json of an unknown name: '%s'\n", cfx_last_error());
    ++failures;
  }

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

  /* A sync store and its signals. */
  cfx_store* store = cfx_store_open(":memory:", CFX_STORE_SEED_DEMO);
  cfx_engine* h = cfx_engine_new();
  if (!store || !h || cfx_engine_attach_store(h, store) != 0) {
    printf("FAIL store: %s\n", cfx_last_error());
    return failures + 1;
  }
  cfx_store_free(store); /* the engine keeps it open */
  expect_text(h, "CountRows(Accounts) > 0", "true");
  char* signal = cfx_signal_json(h, "Connection");
  if (!signal ||
      strcmp(signal, "{\"Connected\":true,\"Metered\":false,\"Sync\":\"Connected\"}") != 0) {
    printf("FAIL Connection signal: %s\n", signal ? signal : cfx_last_error());
    ++failures;
  }
  cfx_free(signal);
  char* changed = cfx_poll_signals(h);
  cfx_free(changed);
  cfx_formula* patch =
      cfx_check(h, "Patch(Accounts, First(Accounts), {Name: \"renamed\"})", 1, NULL);
  cfx_free(cfx_eval_to_text(h, patch));
  cfx_formula_free(patch);
  changed = cfx_poll_signals(h);
  if (!changed || strcmp(changed, "[\"Connection\",\"PendingChanges\"]") != 0) {
    printf("FAIL signals changed by a write: %s\n", changed ? changed : cfx_last_error());
    ++failures;
  }
  cfx_free(changed);
  expect_text(h, "Connection.Sync", "ConnectionSync.ConnectedPendingUpsync");
  if (cfx_signal_json(h, "Nope") != NULL) ++failures;
  if (cfx_store_open("/nonexistent/dir/store.db", 0) != NULL || cfx_last_error()[0] == 0) {
    printf("FAIL opening a missing store without CFX_STORE_CREATE\n");
    ++failures;
  }
  cfx_engine_free(h);
  printf("%d failures\n", failures);
  return failures;
}
