// The one door to ncurses. Swift cannot import ncurses' macros and globals, and Swift 6
// forbids touching mutable C globals; these static inline helpers wrap what infertop uses.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

static inline WINDOW *CNcursesw_stdscr(void) { return stdscr; }
static inline int CNcursesw_lines(void) { return LINES; }
static inline int CNcursesw_cols(void) { return COLS; }
static inline int CNcursesw_colors(void) { return COLORS; }
static inline int CNcursesw_colorPairs(void) { return COLOR_PAIRS; }
static inline int CNcursesw_ERR(void) { return ERR; }

static inline unsigned int CNcursesw_A_NORMAL(void) { return A_NORMAL; }
static inline unsigned int CNcursesw_A_BOLD(void) { return A_BOLD; }
static inline unsigned int CNcursesw_A_DIM(void) { return A_DIM; }
static inline unsigned int CNcursesw_A_REVERSE(void) { return A_REVERSE; }
static inline unsigned int CNcursesw_A_UNDERLINE(void) { return A_UNDERLINE; }

static inline int CNcursesw_KEY_RESIZE(void) { return KEY_RESIZE; }
static inline int CNcursesw_KEY_UP(void) { return KEY_UP; }
static inline int CNcursesw_KEY_DOWN(void) { return KEY_DOWN; }
static inline int CNcursesw_KEY_LEFT(void) { return KEY_LEFT; }
static inline int CNcursesw_KEY_RIGHT(void) { return KEY_RIGHT; }
static inline int CNcursesw_KEY_ENTER(void) { return KEY_ENTER; }
static inline int CNcursesw_KEY_BACKSPACE(void) { return KEY_BACKSPACE; }
static inline int CNcursesw_KEY_NPAGE(void) { return KEY_NPAGE; }
static inline int CNcursesw_KEY_PPAGE(void) { return KEY_PPAGE; }
static inline int CNcursesw_KEY_HOME(void) { return KEY_HOME; }
static inline int CNcursesw_KEY_END(void) { return KEY_END; }
static inline int CNcursesw_KEY_DC(void) { return KEY_DC; }
/// F1 is KEY_F0 + 1, and so on.
static inline int CNcursesw_KEY_F0(void) { return KEY_F0; }
static inline int CNcursesw_KEY_CODE_YES(void) { return KEY_CODE_YES; }

/// Draws one wide character with attributes and a colour pair at (y, x).
static inline int CNcursesw_put(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cc;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cc, text, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}

/// Reads one key or character; returns ERR on timeout, KEY_CODE_YES for function keys.
static inline int CNcursesw_getWideKey(wint_t *out) { return wget_wch(stdscr, out); }

/// Starts curses on stdout/stdin; unlike initscr it returns NULL instead of exiting when
/// TERM is unknown, so the caller can print a useful error. Swift 6 cannot touch stdout.
static inline SCREEN *CNcursesw_newterm(void) { return newterm(NULL, stdout, stdin); }

/// The locale's character set name ("UTF-8" in a UTF-8 locale).
static inline const char *CNcursesw_codeset(void) { return nl_langinfo(CODESET); }

/// Columns a character takes (1 normal, 2 wide, -1 unprintable); glibc hides wcwidth
/// from Swift's Glibc module because it is an X/Open extension.
extern int wcwidth(wchar_t c);
static inline int CNcursesw_wcwidth(wchar_t c) { return wcwidth(c); }

#endif
