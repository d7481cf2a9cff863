/* canvasfx C API: embed the Power Fx engine from C or any language with a C FFI.
 *
 * Strings are UTF-8. Every char* returned by this API is heap-allocated and
 * must be released with cfx_free. Functions never abort on bad input: they
 * return NULL or a non-zero status and, where they can, a message.
 *
 *   cfx_engine* e = cfx_engine_new();
 *   cfx_set_number(e, "x", 4);
 *   char* diags = NULL;
 *   cfx_formula* f = cfx_check(e, "x * 2", 0, &diags);
 *   char* shown = cfx_eval_to_text(e, f);     // "8"
 *   cfx_free(shown); cfx_formula_free(f); cfx_engine_free(e);
 */
#ifndef CANVASFX_C_H
#define CANVASFX_C_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cfx_engine cfx_engine;
typedef struct cfx_formula cfx_formula;

/* An engine with the standard library installed. */
cfx_engine* cfx_engine_new(void);
void cfx_engine_free(cfx_engine* engine);

/* Declare or update a variable. Return 0 on success. */
int cfx_set_number(cfx_engine* engine, const char* name, double value);
int cfx_set_text(cfx_engine* engine, const char* name, const char* utf8);
int cfx_set_boolean(cfx_engine* engine, const char* name, int value);
int cfx_set_blank(cfx_engine* engine, const char* name);

/* Check a formula. behavior != 0 allows behavior functions and `;` chains.
 * On failure returns NULL and, if diagnostics is not NULL, stores the
 * diagnostics ("Error 3-5: message" lines) there. */
cfx_formula* cfx_check(cfx_engine* engine, const char* formula, int behavior, char** diagnostics);
void cfx_formula_free(cfx_formula* formula);

/* Evaluate and print canonically (Power Fx expression syntax). */
char* cfx_eval_to_text(cfx_engine* engine, const cfx_formula* formula);
/* Evaluate to a number; returns 0 when the result is a number, 1 otherwise. */
int cfx_eval_to_number(cfx_engine* engine, const cfx_formula* formula, double* out);

/* Define named formulas, user-defined functions and types (App.Formulas text:
 * "Total = Price * 2; Price = 10;"). Returns 0 when the text has no errors
 * (what checks is defined either way); diagnostics as for cfx_check, warnings
 * included. */
int cfx_define(cfx_engine* engine, const char* definitions, char** diagnostics);
/* A named formula's value, printed canonically (evaluated now if stale); NULL
 * when no named formula has the name. */
char* cfx_formula_value_to_text(cfx_engine* engine, const char* name);
/* The named formulas a change of `symbol` makes stale, in recalculation order,
 * one per line ("" when none). */
char* cfx_invalidated_by(cfx_engine* engine, const char* symbol);
void cfx_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* CANVASFX_C_H */
