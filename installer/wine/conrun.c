/* conrun.exe "COMMAND LINE": what a person sees who types COMMAND LINE in a Windows console.

   Used under Wine by tests/test_windows_exe.py to check that the windowed dkdesk.exe, started
   from a console, writes into that console (dkdesk.frozen: AttachConsole + CONOUT$). conrun
   makes a console of its own, starts the command there with no standard handles (as cmd.exe
   starts a GUI program: dkdesk.exe must attach to the console to write in it), waits for it, then prints the console's text in UTF-8 to the standard
   output it was given (a pipe) and exits with the command's exit code. Test tool only. */
#include <windows.h>
#include <stdlib.h>

static void put(HANDLE out, const wchar_t *text, int len) {
    int n = WideCharToMultiByte(CP_UTF8, 0, text, len, NULL, 0, NULL, NULL);
    char *buf = malloc(n + 1);
    DWORD written;
    WideCharToMultiByte(CP_UTF8, 0, text, len, buf, n, NULL, NULL);
    WriteFile(out, buf, n, &written, NULL);
    free(buf);
}

int wmain(int argc, wchar_t **argv) {
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    DWORD code = 99;
    if (argc != 2) return 98;
    FreeConsole();
    if (!AllocConsole()) return 97;
    /* cmd.exe gives a GUI program no usable standard handles (pythonw's sys.stdout is None there);
       Wine would pass the console's handles on, so say "none" explicitly */
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = si.hStdOutput = si.hStdError = NULL;
    if (!CreateProcessW(NULL, argv[1], NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 96;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    HANDLE con = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             NULL, OPEN_EXISTING, 0, NULL);
    CONSOLE_SCREEN_BUFFER_INFO info;
    if (con == INVALID_HANDLE_VALUE || !GetConsoleScreenBufferInfo(con, &info)) return 95;
    int width = info.dwSize.X, rows = info.dwCursorPosition.Y + 1;
    wchar_t *line = malloc(sizeof(wchar_t) * (width + 1));
    for (short y = 0; y < rows; y++) {
        COORD at = {0, y};
        DWORD got = 0;
        ReadConsoleOutputCharacterW(con, line, width, at, &got);
        while (got > 0 && line[got - 1] == L' ') got--;
        line[got++] = L'\n';
        put(out, line, (int)got);
    }
    return (int)code;
}
