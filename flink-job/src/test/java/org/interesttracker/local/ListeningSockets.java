package org.interesttracker.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets a Linux process listens on, read the way {@code ss -ltnp} reads them: the socket
 * inodes among the process's open files, looked up in the kernel's TCP tables.
 */
final class ListeningSockets {
  private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
  private static final String LISTEN = "0A";
  private static final int LOCAL_ADDRESS = 1;
  private static final int STATE = 3;
  private static final int INODE = 9;

  private ListeningSockets() {}

  static boolean readable() {
    return Files.isReadable(Path.of("/proc/self/net/tcp"));
  }

  static List<InetSocketAddress> of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    Set<String> inodes = socketInodes(proc.resolve("fd"));
    List<InetSocketAddress> listening = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      List<String> rows = Files.readAllLines(proc.resolve("net").resolve(table));
      for (String row : rows.subList(1, rows.size())) {
        String[] columns = row.trim().split("\\s+");
        if (columns[STATE].equals(LISTEN) && inodes.contains(columns[INODE])) {
          listening.add(address(columns[LOCAL_ADDRESS]));
        }
      }
    }
    return listening;
  }

  private static Set<String> socketInodes(Path fds) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> links = Files.list(fds)) {
      for (Path link : (Iterable<Path>) links::iterator) {
        try {
          Matcher socket = SOCKET_LINK.matcher(Files.readSymbolicLink(link).toString());
          if (socket.matches()) {
            inodes.add(socket.group(1));
          }
        } catch (IOException closedMeanwhile) {
          // A file closed between listing and reading is not listening.
        }
      }
    }
    return inodes;
  }

  /**
   * Parses {@code 0100007F:1F90}: the address in hex, each 32-bit word in the kernel's (little
   * endian) byte order, then the port.
   */
  private static InetSocketAddress address(String hex) throws IOException {
    String[] parts = hex.split(":");
    byte[] bytes = new byte[parts[0].length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(parts[0].substring(at, at + 2), 16);
      }
    }
    return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
  }
}
