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

/*
 * sl_dir_of() - the directory that holds @path ("." when it names none)
 * into @dir of @len bytes.  Return: the last component of @path, or NULL
 * when the directory's name does not fit.
 */
static inline const char *sl_dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		strcpy(dir, ".");
		return path;
	}
	if (slash == path) {
		strcpy(dir, "/");
	} else {
		if ((size_t)(slash - path) >= len)
			return NULL;
		memcpy(dir, path, slash - path);
		dir[slash - path] = 0;
	}
	return slash + 1;
}

/* Return: 0, or -1 with errno set */
static inline int sl_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd, ret;

	if (!sl_dir_of(path, dir, sizeof(dir)))
		return 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

#endif /* SL_FSYNC_DIR_H */
