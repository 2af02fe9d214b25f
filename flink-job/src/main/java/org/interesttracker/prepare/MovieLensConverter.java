package org.interesttracker.prepare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;

/**
 * Converts GroupLens MovieLens-100K ({@code u.data} ratings and the {@code u.item} movie catalog).
 * A rating becomes one event: the scene is the movie's {@link MovieLensScene genre group}, the
 * event type {@link EventType#LIKE} for ratings of 4 and 5 (what the MovieLens literature treats as
 * positive) and {@link EventType#CLICK} for 1 to 3 (the user watched it, without liking it), and
 * the unix seconds become milliseconds.
 */
public final class MovieLensConverter implements DatasetConverter {

  static final String RATINGS_FILE = "u.data";
  static final String MOVIES_FILE = "u.item";
  static final int LIKE_FROM_RATING = 4;

  private static final int MOVIE_FIELDS_BEFORE_GENRES = 5;
  private static final int MOVIE_FIELDS =
      MOVIE_FIELDS_BEFORE_GENRES + MovieLensScene.GENRE_FLAG_ORDER.size();

  private final Path directory;

  /**
   * @param directory the unpacked {@code ml-100k} folder holding u.data and u.item
   */
  public MovieLensConverter(Path directory) {
    this.directory = directory;
  }

  @Override
  public void convert(ConversionReport report, Consumer<EventLogRecord> sink) throws IOException {
    Map<String, MovieLensScene> sceneByMovie = readMovieScenes(report);
    DelimitedLines.read(
        directory.resolve(RATINGS_FILE),
        StandardCharsets.US_ASCII,
        '\t',
        4,
        true,
        report,
        fields -> toEvent(fields, sceneByMovie),
        sink);
  }

  private Map<String, MovieLensScene> readMovieScenes(ConversionReport report) throws IOException {
    Map<String, MovieLensScene> sceneByMovie = new HashMap<>();
    // u.item is Latin-1: titles such as "Misérables" would not decode as UTF-8.
    DelimitedLines.read(
        directory.resolve(MOVIES_FILE),
        StandardCharsets.ISO_8859_1,
        '|',
        MOVIE_FIELDS,
        false,
        report,
        MovieLensConverter::toMovieScene,
        movie -> sceneByMovie.put(movie.getKey(), movie.getValue()));
    return sceneByMovie;
  }

  private static Map.Entry<String, MovieLensScene> toMovieScene(String[] fields)
      throws MalformedLineException {
    String movieId = Long.toString(DelimitedLines.parseNumber(fields[0], "movie id"));
    Set<String> genres = new HashSet<>();
    for (int i = 0; i < MovieLensScene.GENRE_FLAG_ORDER.size(); i++) {
      String flag = fields[MOVIE_FIELDS_BEFORE_GENRES + i];
      if (flag.equals("1")) {
        genres.add(MovieLensScene.GENRE_FLAG_ORDER.get(i));
      } else if (!flag.equals("0")) {
        throw new MalformedLineException("genre flag is not 0 or 1");
      }
    }
    return Map.entry(movieId, MovieLensScene.of(genres));
  }

  private static EventLogRecord toEvent(String[] fields, Map<String, MovieLensScene> sceneByMovie)
      throws MalformedLineException {
    String userId = Long.toString(DelimitedLines.parseNumber(fields[0], "user id"));
    String movieId = Long.toString(DelimitedLines.parseNumber(fields[1], "item id"));
    long rating = DelimitedLines.parseNumber(fields[2], "rating");
    long seconds = DelimitedLines.parseNumber(fields[3], "timestamp");
    if (rating < 1 || rating > 5) {
      throw new MalformedLineException("rating is not between 1 and 5");
    }
    MovieLensScene scene = sceneByMovie.get(movieId);
    if (scene == null) {
      throw new MalformedLineException("item id is not in " + MOVIES_FILE);
    }
    EventType type = rating >= LIKE_FROM_RATING ? EventType.LIKE : EventType.CLICK;
    return new EventLogRecord(
        DelimitedLines.secondsToMillis(seconds), userId, movieId, scene.sceneName(), type);
  }
}
