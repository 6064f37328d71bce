#ifndef C_TERMINAL_H
#define C_TERMINAL_H

/// A thin layer over ncursesw for `edgewatch top`: start and restore the terminal, draw UTF-8
/// text with a style, read keys with a timeout, and catch SIGTERM/SIGINT/SIGHUP so the terminal
/// is always restored.

/// Styles for cew_term_draw.
enum {
    CEW_STYLE_PLAIN = 0,
    CEW_STYLE_BOLD = 1,
    CEW_STYLE_DIM = 2,
    CEW_STYLE_REVERSE = 3,
    CEW_STYLE_GOOD = 4,
    CEW_STYLE_WARN = 5,
    CEW_STYLE_BAD = 6,
    CEW_STYLE_HEADER = 7,
};

/// Keys cew_term_key returns besides characters.
enum {
    CEW_KEY_NONE = -1,
    CEW_KEY_UP = 0x10001,
    CEW_KEY_DOWN,
    CEW_KEY_LEFT,
    CEW_KEY_RIGHT,
    CEW_KEY_BACKTAB,
    CEW_KEY_RESIZE,
    CEW_KEY_ENTER,
    CEW_KEY_BACKSPACE,
    CEW_KEY_PAGE_UP,
    CEW_KEY_PAGE_DOWN,
};

/// Starts full-screen mode; `color` 0 for monochrome. Returns 0, or -1 when stdout is no terminal.
int cew_term_start(int color);
/// Restores the terminal (safe to call twice).
void cew_term_stop(void);
/// The screen size.
void cew_term_size(int *columns, int *rows);
/// Clears the virtual screen (nothing is sent until cew_term_refresh).
void cew_term_clear(void);
/// Draws UTF-8 text at row, column with a style, clipped to the screen.
void cew_term_draw(int row, int column, const char *text, int style);
/// Sends what changed since the last refresh.
void cew_term_refresh(void);
/// The next key within timeout_ms (CEW_KEY_NONE on timeout), characters as Unicode scalars.
int cew_term_key(int timeout_ms);
/// Catches SIGTERM, SIGINT and SIGHUP into a flag (the loop then restores the terminal).
void cew_term_catch_signals(void);
/// The signal caught since start, or 0.
int cew_term_caught_signal(void);

#endif
