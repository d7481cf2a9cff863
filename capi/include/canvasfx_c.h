/* canvasfx C API: embed the Power Fx engine from C or any language with a C FFI.
 *
 * Strings are UTF-8. Every char* returned by this API is heap-allocated and
 * must be released with cfx_free. Functions never abort on bad input: they
 * return NULL or a non-zero status, and cfx_last_error() says why.
 *
 *   cfx_engine* e = cfx_engine_new();
 *   cfx_set_number(e, "x", 4);
 *   cfx_formula* f = cfx_check(e, "x * 2", 0, NULL);
 *   char* shown = cfx_eval_to_text(e, f);     // "8"
 *   cfx_free(shown); cfx_formula_free(f); cfx_engine_free(e);
 *
 * Link with `pkg-config --cflags --libs canvasfx` (libcanvasfx.so.0, which
 * exports only the cfx_* functions). An engine is not thread-safe: use one
 * per thread; cfx_cancel is the exception.
 */
#ifndef CANVASFX_C_H
#define CANVASFX_C_H

#include "canvasfx/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cfx_engine cfx_engine;
typedef struct cfx_formula cfx_formula;
typedef struct cfx_store cfx_store;

/* The version of the library that runs, "0.1.0" (CANVASFX_VERSION_STRING is
 * the headers' version). */
const char* cfx_version(void);

/* Why the last call on this thread failed (it returned NULL or non-zero), or
 * the message of the error value its evaluation produced; "" when it
 * succeeded. Valid until the next call on this thread; do not free. */
const char* cfx_last_error(void);

/* An engine with the standard library installed. */
cfx_engine* cfx_engine_new(void);
void cfx_engine_free(cfx_engine* engine);

/* Declare or update a variable. Return 0 on success. */
int cfx_set_number(cfx_engine* engine, const char* name, double value);
int cfx_set_text(cfx_engine* engine, const char* name, const char* utf8);
int cfx_set_boolean(cfx_engine* engine, const char* name, int value);
int cfx_set_blank(cfx_engine* engine, const char* name);
/* From JSON text: null → Blank, numbers, strings (Text), true/false,
 * objects → records, arrays → tables (an array of objects is a table of
 * records; [1, 2] is a table with a Value column). Returns non-zero with
 * cfx_last_error() set when the text is not JSON. */
int cfx_set_json(cfx_engine* engine, const char* name, const char* json);

/* A variable's (or signal's, or data source's) value as JSON text, as
 * cfx_eval_to_json writes it; NULL when the engine has no such name. */
char* cfx_get_json(cfx_engine* engine, const char* name);

/* Check a formula. behavior != 0 allows behavior functions and `;` chains.
 * On failure returns NULL and, if diagnostics is not NULL, stores the
 * diagnostics ("Error 3-5: message" lines) there; cfx_last_error() is the first. */
cfx_formula* cfx_check(cfx_engine* engine, const char* formula, int behavior, char** diagnostics);
void cfx_formula_free(cfx_formula* formula);

/* Evaluate and print as Power Fx: canonical, and an error with its message,
 * Error({Kind:ErrorKind.Div0,Message:"Invalid operation: division by zero."}). */
char* cfx_eval_to_text(cfx_engine* engine, const cfx_formula* formula);
/* Evaluate to JSON: records → objects, tables → arrays, dates ISO 8601,
 * an error → {"error": {"kind": "Div0", "message": "…"}}. */
char* cfx_eval_to_json(cfx_engine* engine, const cfx_formula* formula);
/* Evaluate to a number; returns 0 when the result is a number, 1 otherwise
 * (an error value: cfx_last_error() has its message). */
int cfx_eval_to_number(cfx_engine* engine, const cfx_formula* formula, double* out);

/* Define named formulas, user-defined functions and types (App.Formulas text:
 * "Total = Price * 2; Price = 10;"). Returns 0 when the text has no errors
 * (what checks is defined either way); diagnostics as for cfx_check, warnings
 * included. */
int cfx_define(cfx_engine* engine, const char* definitions, char** diagnostics);
/* A named formula's value, printed as cfx_eval_to_text prints (evaluated now
 * if stale); NULL when no named formula has the name. */
char* cfx_formula_value_to_text(cfx_engine* engine, const char* name);
/* The named formulas a change of `symbol` makes stale, in recalculation order,
 * one per line ("" when none). */
char* cfx_invalidated_by(cfx_engine* engine, const char* symbol);

/* Stops the evaluation running on `engine` (it returns a Timeout error). Safe
 * from another thread or a signal handler. */
void cfx_cancel(cfx_engine* engine);

/* ---- The offline host: a sync store and its signals ---------------------- */

#define CFX_STORE_CREATE 1    /* create the file when it does not exist */
#define CFX_STORE_SEED_DEMO 2 /* a created store gets the demo profile and rows */

/* Opens a sync store (a SQLite file); path NULL is the default store
 * ($XDG_DATA_HOME/canvasfx/store.db), ":memory:" a private one. Returns NULL
 * with cfx_last_error() set when the file is not a canvasfx store. */
cfx_store* cfx_store_open(const char* path, int flags);
/* Releases the handle; an engine attached to the store keeps it open. */
void cfx_store_free(cfx_store* store);

/* Installs the canvas host into the engine: the signals (Connection, Host,
 * App …), the host enums (ConnectionSync, Icon …), ShowHostInfo/Notify, and a
 * data source per table of the store. Once per engine. Returns 0 on success. */
int cfx_engine_attach_store(cfx_engine* engine, cfx_store* store);

/* A signal's value as JSON: cfx_signal_json(e, "Connection") →
 * {"Connected":true,"Metered":false,"Sync":"Connected"}. NULL when the
 * engine has no store attached or no such signal. */
char* cfx_signal_json(cfx_engine* engine, const char* signal);

/* The names of the signals whose value changed since the last call (after a
 * write to the store, by this process or another), as a JSON array:
 * ["Connection"]. NULL without a store. */
char* cfx_poll_signals(cfx_engine* engine);

void cfx_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* CANVASFX_C_H */
