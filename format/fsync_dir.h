/*
 * fsync_dir.h - make a rename durable: after rename(tmp, path), fsync the
 * directory that holds @path, or a power loss may undo the rename.
 */
#ifndef SL_FSYNC_DIR_H
#define SL_FSYNC_DIR_H

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

/* Return: 0, or -1 with errno set */
static inline int sl_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, ret;

	if (!slash) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else {
		if ((size_t)(slash - path) >= sizeof(dir))
			return 0;
		memcpy(dir, path, slash - path);
		dir[slash - path] = 0;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

#endif /* SL_FSYNC_DIR_H */
