/**
 * errno numbers per platform, as text tables (name per number) so a pasted number can be read back on every
 * platform it exists on. Sources, checked for this file:
 * - Linux: /usr/include/asm-generic/errno-base.h and errno.h (41 and 58 are unused; cross-checked against
 *   `os.constants.errno` by the tests when they run on Linux).
 * - macOS: XNU bsd/sys/errno.h (apple-oss-distributions/xnu, 1…106, ELAST = 106).
 * - Windows: Node reports libuv's own negative codes there, not CRT errno values: libuv include/uv/errno.h
 *   `UV__E*` (-4093 … -4022; -4087…-4085 are unused) and `UV__EAI_*` (-3000 … -3014, -3012 unused), the
 *   latter the same on every platform (the tests cross-check them against `util.getSystemErrorMap()`).
 * Descriptions are glibc's strerror() text, XNU's comment for macOS-only names and libuv's for its own names.
 */

/** Linux errno names, number 1 first; '-' marks an unused number. */
export const LINUX_ERRNO_NAMES: readonly string[] = (
  'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ENOTBLK EBUSY ' +
  'EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK ' +
  'EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP - ENOMSG EIDRM ECHRNG EL2NSYNC ' +
  'EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT - EBFONT ENOSTR ' +
  'ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG ' +
  'EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE ' +
  'EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP ' +
  'EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ' +
  'ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH ' +
  'EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ' +
  'ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON'
).split(' ')

/** macOS errno names, number 1 first. */
export const DARWIN_ERRNO_NAMES: readonly string[] = (
  'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EDEADLK ENOMEM EACCES EFAULT ENOTBLK EBUSY ' +
  'EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK ' +
  'EPIPE EDOM ERANGE EAGAIN EINPROGRESS EALREADY ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT ' +
  'EPROTONOSUPPORT ESOCKTNOSUPPORT ENOTSUP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ' +
  'ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ' +
  'ECONNREFUSED ELOOP ENAMETOOLONG EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM EUSERS EDQUOT ESTALE EREMOTE ' +
  'EBADRPC ERPCMISMATCH EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL ENOLCK ENOSYS EFTYPE EAUTH ENEEDAUTH ' +
  'EPWROFF EDEVERR EOVERFLOW EBADEXEC EBADARCH ESHLIBVERS EBADMACHO ECANCELED EIDRM ENOMSG EILSEQ ENOATTR ' +
  'EBADMSG EMULTIHOP ENODATA ENOLINK ENOSR ENOSTR EPROTO ETIME EOPNOTSUPP ENOPOLICY ENOTRECOVERABLE ' +
  'EOWNERDEAD EQFULL'
).split(' ')

/** libuv's Windows error names, -4093 first; '-' marks an unused number. */
export const WINDOWS_UV_NAMES: readonly string[] = (
  'E2BIG EACCES EADDRINUSE EADDRNOTAVAIL EAFNOSUPPORT EAGAIN - - - EALREADY EBADF EBUSY ECANCELED ECHARSET ' +
  'ECONNABORTED ECONNREFUSED ECONNRESET EDESTADDRREQ EEXIST EFAULT EHOSTUNREACH EINTR EINVAL EIO EISCONN ' +
  'EISDIR ELOOP EMFILE EMSGSIZE ENAMETOOLONG ENETDOWN ENETUNREACH ENFILE ENOBUFS ENODEV ENOENT ENOMEM ' +
  'ENONET ENOSPC ENOSYS ENOTCONN ENOTDIR ENOTEMPTY ENOTSOCK ENOTSUP EPERM EPIPE EPROTO EPROTONOSUPPORT ' +
  'EPROTOTYPE EROFS ESHUTDOWN ESPIPE ESRCH ETIMEDOUT ETXTBSY EXDEV EFBIG ENOPROTOOPT ERANGE ENXIO EMLINK ' +
  'EHOSTDOWN EREMOTEIO ENOTTY EFTYPE EILSEQ EOVERFLOW ESOCKTNOSUPPORT ENODATA EUNATCH ENOEXEC'
).split(' ')

/** libuv's getaddrinfo error names, -3000 first (all platforms); '-' marks an unused number. */
export const UV_EAI_NAMES: readonly string[] = (
  'EAI_ADDRFAMILY EAI_AGAIN EAI_BADFLAGS EAI_CANCELED EAI_FAIL EAI_FAMILY EAI_MEMORY EAI_NODATA EAI_NONAME ' +
  'EAI_OVERFLOW EAI_SERVICE EAI_SOCKTYPE - EAI_BADHINTS EAI_PROTOCOL'
).split(' ')

/** The first libuv Windows code (`UV__E2BIG`). */
export const WINDOWS_UV_FIRST = -4093
/** The first libuv getaddrinfo code (`UV__EAI_ADDRFAMILY`). */
export const UV_EAI_FIRST = -3000

/** What each name stands for, in the system's own words. */
export const ERRNO_DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['E2BIG', 'Argument list too long'],
  ['EACCES', 'Permission denied'],
  ['EADDRINUSE', 'Address already in use'],
  ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  ['EADV', 'Advertise error'],
  ['EAFNOSUPPORT', 'Address family not supported by protocol'],
  ['EAGAIN', 'Resource temporarily unavailable'],
  ['EAI_ADDRFAMILY', 'Address family not supported'],
  ['EAI_AGAIN', 'Temporary failure'],
  ['EAI_BADFLAGS', 'Bad ai_flags value'],
  ['EAI_BADHINTS', 'Invalid value for hints'],
  ['EAI_CANCELED', 'Request canceled'],
  ['EAI_FAIL', 'Permanent failure'],
  ['EAI_FAMILY', 'ai_family not supported'],
  ['EAI_MEMORY', 'Out of memory'],
  ['EAI_NODATA', 'No address'],
  ['EAI_NONAME', 'Unknown node or service'],
  ['EAI_OVERFLOW', 'Argument buffer overflow'],
  ['EAI_PROTOCOL', 'Resolved protocol is unknown'],
  ['EAI_SERVICE', 'Service not available for socket type'],
  ['EAI_SOCKTYPE', 'Socket type not supported'],
  ['EALREADY', 'Operation already in progress'],
  ['EAUTH', 'Authentication error'],
  ['EBADARCH', 'Bad CPU type in executable'],
  ['EBADE', 'Invalid exchange'],
  ['EBADEXEC', 'Bad executable'],
  ['EBADF', 'Bad file descriptor'],
  ['EBADFD', 'File descriptor in bad state'],
  ['EBADMACHO', 'Malformed Macho file'],
  ['EBADMSG', 'Bad message'],
  ['EBADR', 'Invalid request descriptor'],
  ['EBADRPC', 'RPC struct is bad'],
  ['EBADRQC', 'Invalid request code'],
  ['EBADSLT', 'Invalid slot'],
  ['EBFONT', 'Bad font file format'],
  ['EBUSY', 'Device or resource busy'],
  ['ECANCELED', 'Operation canceled'],
  ['ECHARSET', 'Invalid Unicode character'],
  ['ECHILD', 'No child processes'],
  ['ECHRNG', 'Channel number out of range'],
  ['ECOMM', 'Communication error on send'],
  ['ECONNABORTED', 'Software caused connection abort'],
  ['ECONNREFUSED', 'Connection refused'],
  ['ECONNRESET', 'Connection reset by peer'],
  ['EDEADLK', 'Resource deadlock avoided'],
  ['EDESTADDRREQ', 'Destination address required'],
  ['EDEVERR', 'Device error, e.g. paper out'],
  ['EDOM', 'Numerical argument out of domain'],
  ['EDOTDOT', 'RFS specific error'],
  ['EDQUOT', 'Disk quota exceeded'],
  ['EEXIST', 'File exists'],
  ['EFAULT', 'Bad address'],
  ['EFBIG', 'File too large'],
  ['EFTYPE', 'Inappropriate file type or format'],
  ['EHOSTDOWN', 'Host is down'],
  ['EHOSTUNREACH', 'No route to host'],
  ['EHWPOISON', 'Memory page has hardware error'],
  ['EIDRM', 'Identifier removed'],
  ['EILSEQ', 'Invalid or incomplete multibyte or wide character'],
  ['EINPROGRESS', 'Operation now in progress'],
  ['EINTR', 'Interrupted system call'],
  ['EINVAL', 'Invalid argument'],
  ['EIO', 'Input/output error'],
  ['EISCONN', 'Transport endpoint is already connected'],
  ['EISDIR', 'Is a directory'],
  ['EISNAM', 'Is a named type file'],
  ['EKEYEXPIRED', 'Key has expired'],
  ['EKEYREJECTED', 'Key was rejected by service'],
  ['EKEYREVOKED', 'Key has been revoked'],
  ['EL2HLT', 'Level 2 halted'],
  ['EL2NSYNC', 'Level 2 not synchronized'],
  ['EL3HLT', 'Level 3 halted'],
  ['EL3RST', 'Level 3 reset'],
  ['ELIBACC', 'Can not access a needed shared library'],
  ['ELIBBAD', 'Accessing a corrupted shared library'],
  ['ELIBEXEC', 'Cannot exec a shared library directly'],
  ['ELIBMAX', 'Attempting to link in too many shared libraries'],
  ['ELIBSCN', '.lib section in a.out corrupted'],
  ['ELNRNG', 'Link number out of range'],
  ['ELOOP', 'Too many levels of symbolic links'],
  ['EMEDIUMTYPE', 'Wrong medium type'],
  ['EMFILE', 'Too many open files'],
  ['EMLINK', 'Too many links'],
  ['EMSGSIZE', 'Message too long'],
  ['EMULTIHOP', 'Multihop attempted'],
  ['ENAMETOOLONG', 'File name too long'],
  ['ENAVAIL', 'No XENIX semaphores available'],
  ['ENEEDAUTH', 'Need authenticator'],
  ['ENETDOWN', 'Network is down'],
  ['ENETRESET', 'Network dropped connection on reset'],
  ['ENETUNREACH', 'Network is unreachable'],
  ['ENFILE', 'Too many open files in system'],
  ['ENOANO', 'No anode'],
  ['ENOATTR', 'Attribute not found'],
  ['ENOBUFS', 'No buffer space available'],
  ['ENOCSI', 'No CSI structure available'],
  ['ENODATA', 'No data available'],
  ['ENODEV', 'No such device'],
  ['ENOENT', 'No such file or directory'],
  ['ENOEXEC', 'Exec format error'],
  ['ENOKEY', 'Required key not available'],
  ['ENOLCK', 'No locks available'],
  ['ENOLINK', 'Link has been severed'],
  ['ENOMEDIUM', 'No medium found'],
  ['ENOMEM', 'Cannot allocate memory'],
  ['ENOMSG', 'No message of desired type'],
  ['ENONET', 'Machine is not on the network'],
  ['ENOPKG', 'Package not installed'],
  ['ENOPOLICY', 'No such policy registered'],
  ['ENOPROTOOPT', 'Protocol not available'],
  ['ENOSPC', 'No space left on device'],
  ['ENOSR', 'Out of streams resources'],
  ['ENOSTR', 'Device not a stream'],
  ['ENOSYS', 'Function not implemented'],
  ['ENOTBLK', 'Block device required'],
  ['ENOTCONN', 'Transport endpoint is not connected'],
  ['ENOTDIR', 'Not a directory'],
  ['ENOTEMPTY', 'Directory not empty'],
  ['ENOTNAM', 'Not a XENIX named type file'],
  ['ENOTRECOVERABLE', 'State not recoverable'],
  ['ENOTSOCK', 'Socket operation on non-socket'],
  ['ENOTSUP', 'Operation not supported'],
  ['ENOTTY', 'Inappropriate ioctl for device'],
  ['ENOTUNIQ', 'Name not unique on network'],
  ['ENXIO', 'No such device or address'],
  ['EOPNOTSUPP', 'Operation not supported'],
  ['EOVERFLOW', 'Value too large for defined data type'],
  ['EOWNERDEAD', 'Owner died'],
  ['EPERM', 'Operation not permitted'],
  ['EPFNOSUPPORT', 'Protocol family not supported'],
  ['EPIPE', 'Broken pipe'],
  ['EPROCLIM', 'Too many processes'],
  ['EPROCUNAVAIL', 'Bad procedure for program'],
  ['EPROGMISMATCH', 'Program version wrong'],
  ['EPROGUNAVAIL', 'RPC prog. not avail'],
  ['EPROTO', 'Protocol error'],
  ['EPROTONOSUPPORT', 'Protocol not supported'],
  ['EPROTOTYPE', 'Protocol wrong type for socket'],
  ['EPWROFF', 'Device power is off'],
  ['EQFULL', 'Interface output queue is full'],
  ['ERANGE', 'Numerical result out of range'],
  ['EREMCHG', 'Remote address changed'],
  ['EREMOTE', 'Object is remote'],
  ['EREMOTEIO', 'Remote I/O error'],
  ['ERESTART', 'Interrupted system call should be restarted'],
  ['ERFKILL', 'Operation not possible due to RF-kill'],
  ['EROFS', 'Read-only file system'],
  ['ERPCMISMATCH', 'RPC version wrong'],
  ['ESHLIBVERS', 'Shared library version mismatch'],
  ['ESHUTDOWN', 'Cannot send after transport endpoint shutdown'],
  ['ESOCKTNOSUPPORT', 'Socket type not supported'],
  ['ESPIPE', 'Illegal seek'],
  ['ESRCH', 'No such process'],
  ['ESRMNT', 'Srmount error'],
  ['ESTALE', 'Stale file handle'],
  ['ESTRPIPE', 'Streams pipe error'],
  ['ETIME', 'Timer expired'],
  ['ETIMEDOUT', 'Connection timed out'],
  ['ETOOMANYREFS', 'Too many references: cannot splice'],
  ['ETXTBSY', 'Text file busy'],
  ['EUCLEAN', 'Structure needs cleaning'],
  ['EUNATCH', 'Protocol driver not attached'],
  ['EUSERS', 'Too many users'],
  ['EXDEV', 'Invalid cross-device link'],
  ['EXFULL', 'Exchange full'],
])
